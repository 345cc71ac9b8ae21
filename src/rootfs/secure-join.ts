// Resolves a path inside a root directory the way the kernel would inside a
// chroot: symlinks are followed, but absolute targets and ".." never leave the
// root. A mount destination such as /etc/x, where the image made /etc a
// symlink to the host's /etc, must land inside the rootfs, not on the host.
import { lstatSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';

const MAX_SYMLINKS = 255;

export function secureJoin(root: string, unsafePath: string): string {
  let pending = unsafePath.split('/').filter((p) => p !== '' && p !== '.');
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const full = posix.join(root, ...done, part);
    let isLink = false;
    try {
      isLink = lstatSync(full).isSymbolicLink();
    } catch {
      // A missing component is fine: the caller creates it below the root.
    }
    if (!isLink) {
      done.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw new Error(`secureJoin: too many symlinks resolving ${unsafePath}`);
    const target = readlinkSync(full);
    const targetParts = target.split('/').filter((p) => p !== '' && p !== '.');
    if (target.startsWith('/')) done.length = 0;
    pending = [...targetParts, ...pending];
  }
  return posix.join(root, ...done);
}
