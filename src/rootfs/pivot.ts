// Moves the calling thread into the container's root with pivot_root(2),
// the way runc does it: pivot "." onto itself, then lazily detach the old
// root, so no directory of the host stays reachable from inside.
import { openSync, closeSync, constants } from 'node:fs';
import { mount, umount2, pivotRoot, chdir, fchdir } from '../linux/mount';
import { MNT_DETACH, MS_REC, MS_SLAVE } from '../linux/constants';

export function pivotInto(rootfs: string): void {
  const oldRoot = openSync('/', constants.O_RDONLY | constants.O_DIRECTORY);
  const newRoot = openSync(rootfs, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    fchdir(newRoot, rootfs);
    pivotRoot('.', '.');
    fchdir(oldRoot, 'old root');
    // Keep unmount events of the old root from propagating to the host.
    mount(null, '.', null, MS_SLAVE | MS_REC, null);
    umount2('.', MNT_DETACH);
    chdir('/');
  } finally {
    closeSync(oldRoot);
    closeSync(newRoot);
  }
}
