import { invalidArgument } from './errors';

// runc's rule (^[\w+-\.]+$) plus a length cap; "." and ".." would name the
// root directory or its parent.
const VALID = /^[\w+\-.]+$/;

export function validateId(id: string): void {
  if (!id || !VALID.test(id) || id === '.' || id === '..' || id.length > 1024) {
    throw invalidArgument(`invalid container id ${JSON.stringify(id)}`);
  }
}
