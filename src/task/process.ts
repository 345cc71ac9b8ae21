// What the shim tracks about a process it reported to containerd: its pid,
// where it is in its life, and its exit, with everyone waiting for it.
//
//   created --start--> running --exit--> stopped --delete--> deleted
//      \________________exit_______________/^
export type ProcessStatus = 'created' | 'running' | 'stopped' | 'deleted';

export interface ExitInfo {
  status: number;
  at: Date;
}

export class Process {
  status: ProcessStatus = 'created';
  exit: ExitInfo | null = null;
  /** True while Start runs: an exit seen then is held until TaskStart is published. */
  starting = false;
  pendingExit: ExitInfo | null = null;
  private waiters: ((e: ExitInfo) => void)[] = [];

  constructor(readonly id: string, readonly pid: number) {}

  setExited(status: number, at = new Date()): void {
    if (this.exit) return;
    this.exit = { status, at };
    if (this.status !== 'deleted') this.status = 'stopped';
    for (const w of this.waiters.splice(0)) w(this.exit);
  }

  wait(): Promise<ExitInfo> {
    if (this.exit) return Promise.resolve(this.exit);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
