// Mounts one entry of config.json's "mounts" under the rootfs, before
// pivot_root, following runc's mountToRootfs.
import { mkdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mount } from '../linux/mount';
import { MS_BIND, MS_REC, MS_REMOUNT, MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC } from '../linux/constants';
import type { Mount } from '../oci/spec';
import { parseMountOptions } from './mount-options';
import { secureJoin } from './secure-join';

export interface CgroupMountSource {
  /** Directory name under the cgroup mount (e.g. "cpu,cpuacct" or "memory"). */
  name: string;
  /** Host path of the container's cgroup in that hierarchy. */
  hostPath: string;
}

export function mountEntry(rootfs: string, m: Mount, cgroups: CgroupMountSource[]): void {
  const dest = secureJoin(rootfs, m.destination);
  const opts = parseMountOptions(m.options);
  const type = m.type ?? (opts.flags & MS_BIND ? 'bind' : 'none');
  if (type === 'cgroup') return mountCgroupV1(dest, opts.flags, cgroups);
  if (type === 'bind' || opts.flags & MS_BIND) return mountBind(dest, m.source ?? '', opts.flags | MS_BIND, opts.propagation, opts.data);
  mkdirSync(dest, { recursive: true });
  mount(m.source ?? type, dest, type, opts.flags, opts.data || null);
  for (const p of opts.propagation) mount(null, dest, null, p, null);
}

function mountBind(dest: string, source: string, flags: number, propagation: number[], data: string): void {
  if (!existsSync(source)) throw new Error(`bind mount source ${source} does not exist`);
  ensureTarget(dest, statSync(source).isDirectory());
  mount(source, dest, 'bind', flags & (MS_BIND | MS_REC), null);
  // A bind mount ignores every flag but MS_REC; the others need a remount.
  const extra = flags & ~(MS_BIND | MS_REC);
  if (extra) mount(null, dest, null, MS_REMOUNT | MS_BIND | extra, data || null);
  for (const p of propagation) mount(null, dest, null, p, null);
}

// cgroup v1 view without a cgroup namespace: a tmpfs with one read-only bind
// of the container's own cgroup per hierarchy, as runc lays it out.
function mountCgroupV1(dest: string, flags: number, cgroups: CgroupMountSource[]): void {
  mkdirSync(dest, { recursive: true });
  mount('tmpfs', dest, 'tmpfs', MS_NOSUID | MS_NODEV | MS_NOEXEC, 'mode=755');
  for (const cg of cgroups) {
    const sub = join(dest, cg.name);
    mkdirSync(sub, { recursive: true });
    mount(cg.hostPath, sub, 'bind', MS_BIND, null);
    mount(null, sub, null, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC | (flags & MS_RDONLY), null);
  }
  if (flags & MS_RDONLY) mount(null, dest, null, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 'mode=755');
}

function ensureTarget(dest: string, directory: boolean): void {
  if (directory) {
    mkdirSync(dest, { recursive: true });
    return;
  }
  mkdirSync(dirname(dest), { recursive: true });
  if (!existsSync(dest)) writeFileSync(dest, '');
}
