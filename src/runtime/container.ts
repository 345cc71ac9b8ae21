// A container as the runtime core knows it: its state directory and the
// facts of state.json. Operations check the derived status against the
// transition table before acting.
import { rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { O_CLOEXEC, O_NONBLOCK, O_RDONLY } from '../linux/constants';
import { open, close, read } from '../linux/fd';
import { signal as kill } from '../linux/process';
import { readProcStat } from '../linux/procfs';
import { managerFromPaths } from '../cgroups/manager';
import { failedPrecondition, notFound, RuntimeError } from './errors';
import { EXEC_FIFO, type ContainerState } from './state';
import { can, deriveStatus, type Operation, type Status } from './status';

export class Container {
  constructor(readonly stateDir: string, readonly state: ContainerState) {}

  get id(): string {
    return this.state.id;
  }

  get pid(): number {
    return this.state.initPid;
  }

  status(): Status {
    return deriveStatus(this.state, this.stateDir);
  }

  /** Opens the start gate: the init process then execs the user's program. */
  async start(): Promise<void> {
    this.require('start');
    const fifo = join(this.stateDir, EXEC_FIFO);
    const fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    try {
      await this.awaitGateByte(fd);
    } finally {
      close(fd);
    }
    unlinkSync(fifo);
  }

  signal(sig: number, all = false): void {
    if (this.status() === 'stopped') throw notFound('container not running');
    if (!all) {
      kill(this.state.initPid, sig);
      return;
    }
    for (const pid of this.pids()) kill(pid, sig);
  }

  pids(): number[] {
    return managerFromPaths(this.state.cgroupPaths).pids();
  }

  /**
   * Removes the container: a created (never started) container is killed
   * first; a running or paused one only with force.
   */
  async destroy(force = false): Promise<void> {
    const status = this.status();
    if (status === 'running' || status === 'paused' || status === 'pausing') {
      if (!force) throw failedPrecondition(`cannot delete container ${this.id} that is not stopped: ${status}`);
    }
    if (status !== 'stopped') {
      for (const pid of this.pids()) kill(pid, 9);
      kill(this.state.initPid, 9);
      await this.waitStopped();
    }
    await managerFromPaths(this.state.cgroupPaths).destroy();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  private require(op: Operation): void {
    const status = this.status();
    if (can(op, status)) return;
    if (op === 'start' && status === 'stopped') throw failedPrecondition('cannot start a container that has stopped');
    throw failedPrecondition(`cannot ${op} a container in ${status} state`);
  }

  // The init process is blocked opening the FIFO for writing; our open wakes
  // it and it writes one byte. Poll briefly instead of blocking a pool thread
  // on a FIFO whose writer might have died.
  private async awaitGateByte(fd: number): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const data = read(fd, 1);
      if (data && data.length === 1) return;
      const stat = readProcStat(this.state.initPid);
      if (!stat || stat.state === 'Z' || stat.startTime !== this.state.initStartTime) {
        throw failedPrecondition('cannot start a container that has stopped');
      }
      await new Promise((r) => (attempt < 20 ? setImmediate(r) : setTimeout(r, Math.min(attempt - 19, 20))));
    }
  }

  private async waitStopped(timeoutMs = 10000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.status() !== 'stopped') {
      if (Date.now() > deadline) throw new RuntimeError('internal', `container ${this.id} did not stop`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
