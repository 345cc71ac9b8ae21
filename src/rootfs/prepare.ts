// Builds the container's filesystem view inside its new mount namespace and
// enters it: runc's prepareRootfs + finalizeRootfs, in the same order.
//
//   1. make / a slave (or what rootfsPropagation says) so nothing leaks out
//   2. bind the rootfs onto itself so it is a mount point pivot_root accepts
//   3. config.json mounts, in order, destinations resolved inside the rootfs
//   4. device nodes and /dev links
//   5. pivot_root, then read-only root, masked and read-only paths
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { mount } from '../linux/mount';
import { MS_BIND, MS_RDONLY, MS_REC, MS_REMOUNT, MS_NOSUID, MS_NODEV, MS_NOEXEC } from '../linux/constants';
import type { Spec } from '../oci/spec';
import { mountEntry, type CgroupMountSource } from './mount-entry';
import { rootPropagation } from './mount-options';
import { createDevices } from './devices';
import { pivotInto } from './pivot';
import { secureJoin } from './secure-join';

export function prepareRootfs(rootfs: string, spec: Spec, cgroups: CgroupMountSource[]): void {
  mount(null, '/', null, rootPropagation(spec.linux?.rootfsPropagation), null);
  mount(rootfs, rootfs, 'bind', MS_BIND | MS_REC, null);
  for (const m of spec.mounts ?? []) mountEntry(rootfs, m, cgroups);
  createDevices(rootfs, spec.linux?.devices);
  const cwd = secureJoin(rootfs, spec.process?.cwd ?? '/');
  if (!existsSync(cwd)) mkdirSync(cwd, { recursive: true, mode: 0o755 });
}

export function enterRootfs(rootfs: string, spec: Spec): void {
  pivotInto(rootfs);
  for (const path of spec.linux?.readonlyPaths ?? []) readonlyPath(path);
  for (const path of spec.linux?.maskedPaths ?? []) maskPath(path);
  if (spec.root?.readonly) mount(null, '/', null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
}

function readonlyPath(path: string): void {
  if (!existsSync(path)) return;
  mount(path, path, 'bind', MS_BIND | MS_REC, null);
  mount(null, path, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
}

// Files are covered with /dev/null, directories with an empty read-only tmpfs.
function maskPath(path: string): void {
  let dir: boolean;
  try {
    dir = statSync(path).isDirectory();
  } catch {
    return;
  }
  if (dir) mount('tmpfs', path, 'tmpfs', MS_RDONLY, null);
  else mount('/dev/null', path, 'bind', MS_BIND, null);
}
