// Device nodes and links every container's /dev has (the runtime spec's
// "default devices"), plus the ones config.json lists under linux.devices.
import { chownSync, chmodSync, existsSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { mknod } from '../linux/fd';
import { S_IFBLK, S_IFCHR, S_IFIFO } from '../linux/constants';
import type { Device } from '../oci/spec';
import { secureJoin } from './secure-join';

const DEFAULT_DEVICES: Device[] = [
  { type: 'c', path: '/dev/null', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/zero', major: 1, minor: 5, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/full', major: 1, minor: 7, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/random', major: 1, minor: 8, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/urandom', major: 1, minor: 9, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/tty', major: 5, minor: 0, fileMode: 0o666, uid: 0, gid: 0 },
];

const LINKS: [string, string][] = [
  ['/proc/self/fd', '/dev/fd'],
  ['/proc/self/fd/0', '/dev/stdin'],
  ['/proc/self/fd/1', '/dev/stdout'],
  ['/proc/self/fd/2', '/dev/stderr'],
  ['pts/ptmx', '/dev/ptmx'],
];

export function createDevices(rootfs: string, extra: Device[] = []): void {
  const byPath = new Map<string, Device>();
  for (const d of [...DEFAULT_DEVICES, ...extra]) byPath.set(d.path, d);
  for (const d of byPath.values()) createDevice(rootfs, d);
  for (const [target, link] of LINKS) {
    const path = secureJoin(rootfs, link);
    try {
      unlinkSync(path);
    } catch {
      // nothing there yet
    }
    symlinkSync(target, path);
  }
  if (existsSync('/proc/kcore')) {
    const core = secureJoin(rootfs, '/dev/core');
    if (!existsSync(core)) symlinkSync('/proc/kcore', core);
  }
}

function createDevice(rootfs: string, d: Device): void {
  const path = secureJoin(rootfs, d.path);
  mkdirSync(dirname(path), { recursive: true });
  try {
    unlinkSync(path);
  } catch {
    // nothing there yet
  }
  const mode = d.fileMode ?? 0o666;
  const kind = d.type === 'b' ? S_IFBLK : d.type === 'p' ? S_IFIFO : S_IFCHR;
  if (d.type !== 'p' && (d.major === undefined || d.minor === undefined)) {
    throw new Error(`linux.devices: ${d.path} needs major and minor numbers`);
  }
  mknod(path, kind | (mode & 0o7777), d.major ?? 0, d.minor ?? 0);
  chmodSync(path, mode & 0o7777);
  chownSync(path, d.uid ?? 0, d.gid ?? 0);
}
