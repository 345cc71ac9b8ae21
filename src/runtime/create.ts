// Creating a container (libcontainer's Start before the user process runs):
//
//   state dir + exec.fifo -> cgroup -> init process joins it -> InitRequest
//   -> init sets up namespaces, mounts, pivot_root, identity -> "ready"
//   (init now blocked on exec.fifo) -> state.json written
//
// Every step pushes its undo; a failure anywhere runs them in reverse so a
// failed create leaves no directory, cgroup or process behind.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { mkfifo } from '../linux/fd';
import { signal } from '../linux/process';
import { readProcStat } from '../linux/procfs';
import { loadSpec } from '../oci/load';
import { planNamespaces, NAMESPACE_FILES } from '../namespaces/plan';
import { createManager, resolveCgroupPath } from '../cgroups/manager';
import type { InitLauncher, PidNamespace } from '../init/launcher';
import { Container } from './container';
import { alreadyExists, invalidArgument, RuntimeError } from './errors';
import { EXEC_FIFO, writeState, type ContainerState } from './state';

export interface CreateOptions {
  launcher: InitLauncher;
  /** Paths the init opens as stdin, stdout, stderr; null means /dev/null. */
  stdio: [string | null, string | null, string | null];
}

type Undo = () => void | Promise<void>;

export async function createContainer(root: string, id: string, bundle: string, opts: CreateOptions): Promise<Container> {
  let spec;
  let plan;
  try {
    spec = loadSpec(bundle);
    plan = planNamespaces(spec.linux?.namespaces);
  } catch (err) {
    throw invalidArgument((err as Error).message);
  }
  const stateDir = join(root, id);
  try {
    mkdirSync(stateDir, { mode: 0o711 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw alreadyExists(`container with id ${id} exists`);
    throw err;
  }
  const undo: Undo[] = [() => rmSync(stateDir, { recursive: true, force: true })];
  try {
    const fifo = join(stateDir, EXEC_FIFO);
    mkfifo(fifo, 0o622);
    chmodSync(fifo, 0o622);
    let cgroups;
    try {
      cgroups = createManager(resolveCgroupPath(spec.linux?.cgroupsPath, id));
    } catch (err) {
      throw invalidArgument((err as Error).message);
    }
    cgroups.create();
    undo.push(() => cgroups.destroy());

    const pidns: PidNamespace = plan.newPid
      ? { kind: 'new' }
      : plan.join.find((n) => n.type === 'pid')
        ? { kind: 'join', path: plan.join.find((n) => n.type === 'pid')!.path }
        : { kind: 'host' };
    const init = opts.launcher.take(pidns);
    undo.push(() => {
      signal(init.pid, 9);
    });
    try {
      cgroups.addProcess(init.pid);
      const hello = await init.next();
      if (hello.type !== 'hello') throw new RuntimeError('internal', `init process: ${hello.type === 'error' ? hello.message : 'unexpected reply'}`);
      const rootfs = isAbsolute(spec.root!.path) ? spec.root!.path : resolve(bundle, spec.root!.path);
      init.send({ id, rootfs, spec, namespaces: plan, execFifo: fifo, stdio: opts.stdio, cgroupMounts: cgroups.mountSources });
      const ready = await init.next();
      if (ready.type !== 'ready') {
        throw new RuntimeError('internal', ready.type === 'error' ? ready.message : 'init process: unexpected reply');
      }
      const stat = readProcStat(init.pid);
      if (!stat) throw new RuntimeError('internal', 'init process exited during create');
      const state: ContainerState = {
        id,
        bundle,
        rootfs,
        initPid: init.pid,
        initStartTime: stat.startTime,
        created: new Date().toISOString(),
        cgroupPaths: cgroups.paths,
        namespacePaths: Object.fromEntries(plan.types.map((t) => [t, `/proc/${init.pid}/ns/${NAMESPACE_FILES[t]}`])),
        annotations: spec.annotations ?? {},
        ownPidNamespace: plan.newPid,
      };
      writeState(stateDir, state);
      return new Container(stateDir, state);
    } finally {
      init.release();
    }
  } catch (err) {
    for (const u of undo.reverse()) {
      try {
        await u();
      } catch {
        // best effort: keep undoing the rest
      }
    }
    throw err;
  }
}
