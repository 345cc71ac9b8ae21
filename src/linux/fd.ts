// Raw file-descriptor calls Node does not offer: FIFOs opened without a
// thread-pool round trip, O_PATH handles, flag changes, dup2 and mkfifo/mknod.
import { c, errno } from './libc';
import { check, SyscallError, EAGAIN } from './errors';
import { F_GETFL, F_SETFL, O_NONBLOCK } from './constants';

export function open(path: string, flags: number, mode = 0o644): number {
  return check(c.open(path, flags, 'uint32_t', mode), 'open', path);
}

export function close(fd: number): void {
  c.close(fd);
}

/** Reads up to n bytes; returns null when a non-blocking fd has nothing yet. */
export function read(fd: number, n: number): Buffer | null {
  const buf = Buffer.alloc(n);
  const got = Number(c.read(fd, buf, n));
  if (got === -1) {
    if (errno() === EAGAIN) return null;
    throw new SyscallError('read', errno());
  }
  return buf.subarray(0, got);
}

export function write(fd: number, data: Buffer): number {
  return Number(check(Number(c.write(fd, data, data.length)), 'write'));
}

export function setNonBlocking(fd: number, on: boolean): void {
  const flags = check(c.fcntl(fd, F_GETFL, 'int', 0), 'fcntl(F_GETFL)');
  const next = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK;
  check(c.fcntl(fd, F_SETFL, 'int', next), 'fcntl(F_SETFL)');
}

export function dup2(oldfd: number, newfd: number): void {
  check(c.dup2(oldfd, newfd), 'dup2');
}

/** pipe2(2): returns [readEnd, writeEnd]. */
export function pipe(flags: number): [number, number] {
  const fds = [0, 0];
  check(c.pipe2(fds, flags), 'pipe2');
  return [fds[0], fds[1]];
}

export function mkfifo(path: string, mode: number): void {
  check(c.mkfifo(path, mode), 'mkfifo', path);
}

export function mknod(path: string, mode: number, major: number, minor: number): void {
  check(c.mknod(path, mode, makedev(major, minor)), 'mknod', path);
}

/** glibc's makedev encoding of a device number. */
function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return ((ma & 0xfffn) << 8n) | ((ma & ~0xfffn) << 32n) | (mi & 0xffn) | ((mi & ~0xffn) << 12n);
}

const LOCK_EX = 2;
const LOCK_NB = 4;

/** Takes an exclusive flock without waiting; false when someone else holds it. */
export function tryLock(fd: number): boolean {
  return c.flock(fd, LOCK_EX | LOCK_NB) === 0;
}
