// Starts init processes. Booting Node costs ~80 ms on a small VM, so the
// launcher keeps one init "warm": already PID 1 of a fresh pid namespace,
// booted and waiting for its InitRequest. A create takes the warm one and the
// Node boot is off its path.
//
// unshare(CLONE_NEWPID) only changes the pid namespace of the caller's future
// children, so the main thread unshares, spawns, and then setns()es back to
// its own pid namespace before anything else can spawn.
import { join } from 'node:path';
import { Socket } from 'node:net';
import { existsSync, writeSync } from 'node:fs';
import { CLONE_NEWPID, O_CLOEXEC, O_RDONLY, O_RDWR } from '../linux/constants';
import { open, close, pipe } from '../linux/fd';
import { unshare, setns, setnsPath } from '../linux/namespaces';
import { spawn, signal } from '../linux/process';
import type { InitReply, InitRequest } from './messages';

export type PidNamespace = { kind: 'new' } | { kind: 'host' } | { kind: 'join'; path: string };

export class InitHandle {
  readonly pid: number;
  private readonly requestFd: number;
  private readonly replies: Socket;
  private buffered = '';
  private queue: InitReply[] = [];
  private waiters: ((r: InitReply) => void)[] = [];
  private ended = false;

  constructor(pid: number, requestFd: number, replyFd: number) {
    this.pid = pid;
    this.requestFd = requestFd;
    this.replies = new Socket({ fd: replyFd, readable: true, writable: false });
    this.replies.setEncoding('utf8');
    this.replies.on('data', (chunk: string) => this.onData(chunk));
    this.replies.on('close', () => this.onEnd());
    this.replies.on('error', () => this.onEnd());
  }

  /** Resolves with the next reply; an init that dies first yields an error reply. */
  next(): Promise<InitReply> {
    const r = this.queue.shift();
    if (r) return Promise.resolve(r);
    if (this.ended) return Promise.resolve({ type: 'error', message: 'init process exited before replying' });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  send(req: InitRequest): void {
    writeSync(this.requestFd, JSON.stringify(req) + '\n');
  }

  /** Closes the runtime's ends of the pipes. */
  release(): void {
    close(this.requestFd);
    this.replies.destroy();
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      this.deliver(JSON.parse(line) as InitReply);
    }
  }

  private deliver(r: InitReply): void {
    const w = this.waiters.shift();
    if (w) w(r);
    else this.queue.push(r);
  }

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    for (const w of this.waiters.splice(0)) w({ type: 'error', message: 'init process exited before replying' });
  }
}

export class InitLauncher {
  private readonly argv: string[];
  private readonly selfPidNs: number;
  private readonly devNull: number;
  private warm: InitHandle | null = null;

  constructor(private readonly logFd = 2) {
    // Bundled (dist/bundle/shim.js): the init bundle sits beside it and runs
    // through the code-cache loader; unbundled (dist/src, tests): main.js.
    const bundled = join(__dirname, 'init.js');
    this.argv = existsSync(bundled)
      ? ['tsshim-init', join(__dirname, '../src/boot/boot.js'), bundled]
      : ['tsshim-init', join(__dirname, 'main.js')];
    this.selfPidNs = open('/proc/self/ns/pid', O_RDONLY | O_CLOEXEC);
    this.devNull = open('/dev/null', O_RDWR | O_CLOEXEC);
  }

  /** Makes sure one init is booting or booted in a fresh pid namespace. */
  prewarm(): void {
    if (!this.warm) this.warm = this.spawn({ kind: 'new' });
  }

  /** An init for a container: the warm one when it fits, else a fresh one. */
  take(pidns: PidNamespace): InitHandle {
    if (pidns.kind === 'new' && this.warm) {
      const h = this.warm;
      this.warm = null;
      return h;
    }
    return this.spawn(pidns);
  }

  /** Ends the warm init, if any (the caller's reaper collects it). */
  dispose(): void {
    if (!this.warm) return;
    signal(this.warm.pid, 9);
    this.warm.release();
    this.warm = null;
  }

  private spawn(pidns: PidNamespace): InitHandle {
    const [reqRead, reqWrite] = pipe(O_CLOEXEC);
    const [repRead, repWrite] = pipe(O_CLOEXEC);
    try {
      if (pidns.kind === 'new') unshare(CLONE_NEWPID);
      else if (pidns.kind === 'join') setnsPath(pidns.path, CLONE_NEWPID);
      let pid: number;
      try {
        pid = spawn({
          path: process.execPath,
          argv: this.argv,
          env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
          fds: [this.devNull, this.devNull, this.logFd, reqRead, repWrite],
          setsid: true,
        });
      } finally {
        if (pidns.kind !== 'host') setns(this.selfPidNs, CLONE_NEWPID);
      }
      return new InitHandle(pid, reqWrite, repRead);
    } finally {
      close(reqRead);
      close(repWrite);
    }
  }
}
