// Status codes carried in ttrpc.Response.status and the error type that
// carries them through TypeScript code.
//
// ttrpc reuses gRPC's code numbers (google.rpc.Code) unchanged, and containerd
// classifies every shim error by this number alone (errdefs.FromGRPC in 1.6/1.7,
// errgrpc.ToNative in 2.x), so the numbers are the contract; the message is
// only shown to people.

export enum Code {
  OK = 0,
  Canceled = 1,
  Unknown = 2,
  InvalidArgument = 3,
  DeadlineExceeded = 4,
  NotFound = 5,
  AlreadyExists = 6,
  PermissionDenied = 7,
  ResourceExhausted = 8,
  FailedPrecondition = 9,
  Aborted = 10,
  OutOfRange = 11,
  Unimplemented = 12,
  Internal = 13,
  Unavailable = 14,
  DataLoss = 15,
  Unauthenticated = 16,
}

// A status as it travels on the wire (the google.rpc.Status fields we use).
export interface Status {
  code: number;
  message: string;
}

// An error with a wire status code. Handlers throw it to choose the code the
// caller sees; the client rejects with it when a call ends in a non-OK status.
// `message` is exactly the status message, so an error relayed through another
// hop keeps its text.
export class TtrpcError extends Error {
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.name = 'TtrpcError';
    this.code = code;
  }
}

// Builds the error a client reports for a Response whose status is not OK.
export function fromStatus(status: Status): TtrpcError {
  return new TtrpcError(status.code, status.message);
}

// The status a server sends for a failed call. Only a TtrpcError chooses its
// code; anything else thrown by a handler is Unknown, as in Go ttrpc for errors
// it cannot classify.
export function statusOf(err: unknown): Status {
  if (err instanceof TtrpcError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: Code.Unknown, message: err.message };
  return { code: Code.Unknown, message: String(err) };
}

// True when `err` is a TtrpcError, and when `code` is given, one with that code.
export function isTtrpcError(err: unknown, code?: Code): err is TtrpcError {
  return err instanceof TtrpcError && (code === undefined || err.code === code);
}
