// The one place errors become ttrpc status codes, with the codes containerd
// expects (errdefs.FromGRPC): NotFound, AlreadyExists, FailedPrecondition ...
import { Code, TtrpcError } from '../ttrpc/codes';
import { RuntimeError, type RuntimeErrorKind } from '../runtime/errors';

const CODES: Record<RuntimeErrorKind, Code> = {
  'not-found': Code.NotFound,
  'already-exists': Code.AlreadyExists,
  'invalid-argument': Code.InvalidArgument,
  'failed-precondition': Code.FailedPrecondition,
  internal: Code.Unknown,
};

export function toTtrpcError(err: unknown): TtrpcError {
  if (err instanceof TtrpcError) return err;
  if (err instanceof RuntimeError) return new TtrpcError(CODES[err.kind], err.message);
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return new TtrpcError(Code.NotFound, e.message);
  if (e?.code === 'EEXIST') return new TtrpcError(Code.AlreadyExists, e.message);
  return new TtrpcError(Code.Unknown, e?.message ?? String(err));
}

export const notFound = (msg: string) => new TtrpcError(Code.NotFound, msg);
export const alreadyExists = (msg: string) => new TtrpcError(Code.AlreadyExists, msg);
export const failedPrecondition = (msg: string) => new TtrpcError(Code.FailedPrecondition, msg);
export const unimplemented = (msg: string) => new TtrpcError(Code.Unimplemented, msg);
export const invalidArgument = (msg: string) => new TtrpcError(Code.InvalidArgument, msg);
