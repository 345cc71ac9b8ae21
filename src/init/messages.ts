// The conversation between the runtime (in the shim or tsrun) and an init
// process it launched. Two pipes, one JSON object per line:
//
//   runtime                                   init (fd 3 in, fd 4 out)
//      |  spawn (PID 1 of a new pid namespace)  |
//      | <------------- hello ----------------- |  booted, waiting (warm)
//      | -------------- InitRequest ----------> |
//      |                                         |  namespaces, mounts,
//      |                                         |  pivot_root, identity
//      | <------------- ready ----------------- |  blocked opening exec.fifo
//      |         (or error, then exit 1)         |
//   start: open exec.fifo, read "0"  ---------> |  execve(user program)
import type { Spec } from '../oci/spec';
import type { NamespacePlan } from '../namespaces/plan';
import type { CgroupMountSource } from '../rootfs/mount-entry';

export const INIT_REQUEST_FD = 3;
export const INIT_REPLY_FD = 4;

export interface InitRequest {
  id: string;
  /** Absolute host path of the container's root filesystem. */
  rootfs: string;
  spec: Spec;
  namespaces: NamespacePlan;
  /** Host path of the start gate. */
  execFifo: string;
  /** Paths the init opens as its stdin, stdout, stderr; null means /dev/null. */
  stdio: [string | null, string | null, string | null];
  cgroupMounts: CgroupMountSource[];
}

export type InitReply =
  | { type: 'hello' }
  | { type: 'ready' }
  | { type: 'error'; message: string };
