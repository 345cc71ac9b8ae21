// One daemon per shim socket. The daemon holds an exclusive flock on
// /run/containerd/tsshim/shims/<socket name>.lock for its whole life; the
// start script asks flock(1) whether a live daemon holds it before reusing
// a socket, so a socket left by a killed shim is never handed to containerd.
import { mkdirSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { O_CLOEXEC, O_CREAT, O_RDWR } from '../linux/constants';
import { open, tryLock } from '../linux/fd';

export const LOCK_DIR = '/run/containerd/tsshim/shims';

export function lockPath(socket: string): string {
  return join(LOCK_DIR, `${basename(socket)}.lock`);
}

/** Returns a release function, or null when another daemon serves this socket. */
export function takeGroupLock(socket: string): (() => void) | null {
  mkdirSync(LOCK_DIR, { recursive: true, mode: 0o700 });
  const path = lockPath(socket);
  const fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600);
  if (!tryLock(fd)) return null;
  // Unlink while still holding the lock; the exit releases it.
  return () => {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  };
}
