// Namespace calls act on the calling thread only; tsshim calls them from the
// main thread, which is the thread that spawns children and, in the init
// process, the thread that finally execs the user's program.
import { c } from './libc';
import { check } from './errors';
import { open, close } from './fd';
import { O_CLOEXEC, O_RDONLY } from './constants';

export function unshare(flags: number): void {
  check(c.unshare(flags), 'unshare');
}

/** Joins the namespace at path (a /proc/<pid>/ns/<type> file or a bind mount of one). */
export function setnsPath(path: string, nstype: number): void {
  const fd = open(path, O_RDONLY | O_CLOEXEC);
  try {
    check(c.setns(fd, nstype), 'setns', path);
  } finally {
    close(fd);
  }
}

export function setns(fd: number, nstype: number): void {
  check(c.setns(fd, nstype), 'setns');
}
