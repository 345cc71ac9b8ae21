import { c } from './libc';
import { check } from './errors';
import { SYS_pivot_root } from './constants';

export function mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void {
  check(c.mount(source, target, fstype, flags, data), 'mount', `${source ?? ''} on ${target}`);
}

export function umount2(target: string, flags: number): void {
  check(c.umount2(target, flags), 'umount2', target);
}

/** umount2 that reports whether something was mounted instead of throwing EINVAL/ENOENT. */
export function tryUmount(target: string, flags: number): boolean {
  return c.umount2(target, flags) === 0;
}

export function pivotRoot(newRoot: string, putOld: string): void {
  check(Number(c.syscall(SYS_pivot_root, 'const char *', newRoot, 'const char *', putOld)), 'pivot_root', newRoot);
}

export function chdir(path: string): void {
  check(c.chdir(path), 'chdir', path);
}

export function fchdir(fd: number, what: string): void {
  check(c.fchdir(fd), 'fchdir', what);
}
