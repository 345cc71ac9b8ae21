// The containers one shim serves and the rules containerd's runc shim follows
// for them (runtime/v2/runc/task/service.go), in domain terms: no protobuf
// here, that is service.ts's job.
import { join } from 'node:path';
import { Runtime } from '../runtime/runtime';
import type { Container } from '../runtime/container';
import type { InitLauncher } from '../init/launcher';
import { FifoSet } from '../stdio/fifo-set';
import { mountSnapshot, unmountAll, type SnapshotMount } from '../rootfs/snapshot-mounts';
import { signal } from '../linux/process';
import { alreadyExists, failedPrecondition, notFound, invalidArgument } from './errors';
import { Process, type ExitInfo } from './process';

export interface CreateRequest {
  id: string;
  bundle: string;
  rootfs: SnapshotMount[];
  terminal: boolean;
  stdin: string;
  stdout: string;
  stderr: string;
  checkpoint: string;
}

export interface TaskState {
  id: string;
  bundle: string;
  pid: number;
  status: 'created' | 'running' | 'stopped' | 'paused' | 'pausing' | 'unknown';
  stdin: string;
  stdout: string;
  stderr: string;
  terminal: boolean;
  exit: ExitInfo | null;
}

export interface TaskListener {
  created(task: Task): void;
  started(task: Task): void;
  exited(task: Task, exit: ExitInfo): void;
  deleted(task: Task, exit: ExitInfo): void;
}

export class Task {
  constructor(
    readonly request: CreateRequest,
    readonly container: Container,
    readonly init: Process,
    readonly fifos: FifoSet,
    readonly rootfsMounted: boolean,
  ) {}

  get id(): string {
    return this.request.id;
  }
}

const IDENTIFIER = /^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$/;

export class TaskManager {
  private readonly tasks = new Map<string, Task>();
  private readonly creating = new Set<string>();
  // Exits reaped before their task was registered (an init that died during create).
  private readonly unclaimed = new Map<number, ExitInfo>();

  constructor(
    readonly runtime: Runtime,
    private readonly launcher: InitLauncher,
    private readonly listener: TaskListener,
    /** A shim serving a group keeps an init warm for the group's next create. */
    private readonly keepWarm = false,
  ) {}

  get size(): number {
    return this.tasks.size + this.creating.size;
  }

  async create(req: CreateRequest): Promise<Task> {
    if (!IDENTIFIER.test(req.id) || req.id.length > 76) throw invalidArgument(`invalid task id ${JSON.stringify(req.id)}`);
    if (this.tasks.has(req.id) || this.creating.has(req.id)) throw alreadyExists(`task ${req.id} already exists`);
    if (req.checkpoint) throw failedPrecondition('restoring from a checkpoint is not supported yet');
    if (req.terminal) throw failedPrecondition('terminal (tty) processes are not supported yet');
    this.creating.add(req.id);
    const rootfs = join(req.bundle, 'rootfs');
    let mounted = false;
    let fifos: FifoSet | null = null;
    try {
      if (req.rootfs.length) {
        mountSnapshot(req.rootfs, rootfs);
        mounted = true;
      }
      fifos = new FifoSet(req.stdin, req.stdout, req.stderr);
      fifos.prepare();
      const container = await this.runtime.create(req.id, req.bundle, { launcher: this.launcher, stdio: fifos.paths });
      fifos.settle();
      if (this.keepWarm) this.launcher.prewarm();
      const task = new Task(req, container, new Process(req.id, container.pid), fifos, mounted);
      this.tasks.set(req.id, task);
      this.listener.created(task);
      const early = this.unclaimed.get(container.pid);
      if (early) this.onExit(container.pid, early.status, early.at);
      return task;
    } catch (err) {
      fifos?.close();
      if (mounted) unmountAll(rootfs);
      throw err;
    } finally {
      this.creating.delete(req.id);
    }
  }

  get(id: string): Task {
    const task = this.tasks.get(id);
    if (!task) throw notFound(`task ${id} not found`);
    return task;
  }

  async start(id: string, execId: string): Promise<Task> {
    const task = this.get(id);
    if (execId) throw notFound(`process ${execId} does not exist`);
    const init = task.init;
    if (init.status !== 'created') throw failedPrecondition(`cannot start a process in ${init.status} state`);
    init.starting = true;
    try {
      await task.container.start();
      init.status = 'running';
      this.listener.started(task);
    } finally {
      // An exit seen while Start ran is delivered now: after TaskStart when
      // the start succeeded, and in any case so that Wait returns.
      init.starting = false;
      const pending = init.pendingExit;
      init.pendingExit = null;
      if (pending) this.finishExit(task, pending);
    }
    return task;
  }

  state(id: string, execId: string): TaskState {
    const task = this.get(id);
    if (execId) throw notFound(`process ${execId} does not exist`);
    const { init, request } = task;
    let status: TaskState['status'] = init.status === 'deleted' ? 'stopped' : init.status;
    if (status === 'running') {
      const derived = task.container.status();
      if (derived === 'paused' || derived === 'pausing') status = derived;
    }
    return {
      id: request.id,
      bundle: request.bundle,
      pid: init.pid,
      status,
      stdin: request.stdin,
      stdout: request.stdout,
      stderr: request.stderr,
      terminal: request.terminal,
      exit: init.exit,
    };
  }

  async wait(id: string, execId: string): Promise<ExitInfo> {
    const task = this.get(id);
    if (execId) throw notFound(`process ${execId} does not exist`);
    return task.init.wait();
  }

  kill(id: string, execId: string, sig: number, all: boolean): void {
    const task = this.get(id);
    if (execId) throw notFound(`process ${execId} does not exist`);
    if (task.init.status === 'stopped' || task.init.status === 'deleted' || task.init.exit) {
      throw notFound('process already finished');
    }
    task.container.signal(sig, all);
  }

  async delete(id: string, execId: string): Promise<{ pid: number; exit: ExitInfo }> {
    const task = this.get(id);
    if (execId) throw notFound(`process ${execId} does not exist`);
    const init = task.init;
    if (init.status === 'running') {
      const paused = task.container.status() === 'paused';
      throw failedPrecondition(`cannot delete a ${paused ? 'paused' : 'running'} process`);
    }
    if (init.status === 'created' && !init.exit) {
      // A container that was never started is killed, as `runc delete` does.
      signal(init.pid, 9);
    }
    const exit = await init.wait();
    this.tasks.delete(id);
    init.status = 'deleted';
    try {
      await task.container.destroy(true);
    } finally {
      task.fifos.close();
      if (task.rootfsMounted) unmountAll(join(task.request.bundle, 'rootfs'));
    }
    this.listener.deleted(task, exit);
    return { pid: init.pid, exit };
  }

  pids(id: string): number[] {
    const task = this.get(id);
    const pids = task.container.pids();
    return pids.length || task.init.exit ? pids : [task.init.pid];
  }

  closeStdin(id: string, execId: string): void {
    const task = this.get(id);
    if (execId) throw notFound(`process ${execId} does not exist`);
    task.fifos.closeStdin();
  }

  /** Called by the shim's reaper for every child that exits. */
  onExit(pid: number, status: number, at = new Date()): void {
    const task = [...this.tasks.values()].find((t) => t.init.pid === pid);
    if (!task) {
      this.rememberUnclaimed(pid, { status, at });
      return;
    }
    if (task.init.exit) return;
    if (task.init.starting) {
      task.init.pendingExit = { status, at };
      return;
    }
    this.finishExit(task, { status, at });
  }

  private finishExit(task: Task, exit: ExitInfo): void {
    task.init.setExited(exit.status, exit.at);
    // Without its own pid namespace nothing else dies with the init process.
    if (!task.container.state.ownPidNamespace) for (const pid of task.container.pids()) signal(pid, 9);
    this.listener.exited(task, exit);
  }

  private rememberUnclaimed(pid: number, exit: ExitInfo): void {
    this.unclaimed.set(pid, exit);
    if (this.unclaimed.size > 256) this.unclaimed.delete(this.unclaimed.keys().next().value!);
  }
}
