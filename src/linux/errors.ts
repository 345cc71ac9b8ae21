import { constants } from 'node:os';
import { errno } from './libc';

const names: Record<number, string> = {};
for (const [name, value] of Object.entries(constants.errno)) names[value] = name;

/** A failed system call, carrying errno and the call's name and subject. */
export class SyscallError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;

  constructor(syscall: string, err: number, subject?: string) {
    const code = names[err] ?? `errno ${err}`;
    super(`${syscall}${subject ? ` ${subject}` : ''}: ${code}`);
    this.errno = err;
    this.code = code;
    this.syscall = syscall;
  }
}

/** Throws SyscallError when a libc call returned -1; returns the result otherwise. */
export function check(ret: number, syscall: string, subject?: string): number {
  if (ret === -1) throw new SyscallError(syscall, errno(), subject);
  return ret;
}

export const ESRCH = constants.errno.ESRCH;
export const EINTR = constants.errno.EINTR;
export const EAGAIN = constants.errno.EAGAIN;
export const ECHILD = constants.errno.ECHILD;
