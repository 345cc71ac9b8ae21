// Mounts the rootfs containerd's snapshotter describes (CreateTaskRequest.rootfs:
// usually one overlay) onto <bundle>/rootfs, in the host's mount namespace,
// and takes it down again on Delete or cleanup.
import { mount, tryUmount } from '../linux/mount';
import { MS_BIND, MS_REC, MS_REMOUNT, MNT_DETACH } from '../linux/constants';
import { parseMountOptions } from './mount-options';

export interface SnapshotMount {
  type: string;
  source: string;
  options: string[];
}

export function mountSnapshot(mounts: SnapshotMount[], target: string): void {
  for (const m of mounts) {
    const opts = parseMountOptions(m.options);
    if (m.type === 'bind' || opts.flags & MS_BIND) {
      mount(m.source, target, 'bind', MS_BIND | (opts.flags & MS_REC), null);
      const extra = opts.flags & ~(MS_BIND | MS_REC);
      if (extra) mount(null, target, null, MS_REMOUNT | MS_BIND | extra, null);
    } else {
      mount(m.source, target, m.type, opts.flags, opts.data || null);
    }
  }
}

/** Unmounts everything stacked on target; returns how many mounts were removed. */
export function unmountAll(target: string): number {
  let n = 0;
  while (n < 64 && tryUmount(target, MNT_DETACH)) n++;
  return n;
}
