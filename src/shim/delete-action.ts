// `containerd-shim-tsshim-v2 … delete`: containerd runs it in the bundle after
// every shim connection closes, and after finding a shim dead. It must undo
// whatever a dead shim left (processes, cgroup, state, rootfs mount, socket)
// without touching sibling containers, and print a DeleteResponse. The
// bundle itself is containerd's to remove.
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { containerd } from '../gen/proto';
import { Runtime } from '../runtime/runtime';
import { RuntimeError } from '../runtime/errors';
import { unmountAll } from '../rootfs/snapshot-mounts';
import { timestamp } from '../task/service';
import type { ShimFlags } from './flags';
import { shimRoot } from './paths';

export async function deleteAction(flags: ShimFlags): Promise<Uint8Array> {
  const namespace = flags.values.namespace;
  const id = flags.values.id;
  const bundle = flags.values.bundle ?? process.cwd();
  if (!namespace) throw new Error('shim namespace cannot be empty');
  if (!id) throw new Error('-id is required');
  let pid = 0;
  try {
    const container = new Runtime(shimRoot(namespace)).load(id);
    pid = container.pid;
    await container.destroy(true);
  } catch (err) {
    if (!(err instanceof RuntimeError && err.kind === 'not-found')) process.stderr.write(`cleanup of ${id}: ${(err as Error).message}\n`);
  }
  unmountAll(join(bundle, 'rootfs'));
  await removeDeadSocket(join(bundle, 'address'));
  // As the runc shim: a container whose shim died was killed with SIGKILL.
  return containerd.task.v2.DeleteResponse.encode({ pid, exitStatus: 137, exitedAt: timestamp(new Date()) }).finish();
}

// The socket of a shim that was killed stays behind; a live shim (serving
// other containers of its group) keeps its socket.
async function removeDeadSocket(addressFile: string): Promise<void> {
  if (!existsSync(addressFile)) return;
  const path = readFileSync(addressFile, 'utf8').trim().replace(/^unix:\/\//, '');
  if (!path || !existsSync(path)) return;
  const alive = await new Promise<boolean>((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
  if (!alive) unlinkSync(path);
}
