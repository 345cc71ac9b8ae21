// Errors the runtime core raises. They carry a kind, not a wire code: the
// shim's task layer maps kinds to ttrpc codes in one place, tsrun maps them
// to exit codes and messages.

export type RuntimeErrorKind = 'not-found' | 'already-exists' | 'invalid-argument' | 'failed-precondition' | 'internal';

export class RuntimeError extends Error {
  constructor(readonly kind: RuntimeErrorKind, message: string) {
    super(message);
  }
}

export const notFound = (msg: string) => new RuntimeError('not-found', msg);
export const alreadyExists = (msg: string) => new RuntimeError('already-exists', msg);
export const invalidArgument = (msg: string) => new RuntimeError('invalid-argument', msg);
export const failedPrecondition = (msg: string) => new RuntimeError('failed-precondition', msg);
