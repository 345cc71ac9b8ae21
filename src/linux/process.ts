// Process creation, exit collection and signals without child_process.
//
// libuv reaps only the children it spawned itself, and a waitpid(-1) reaper
// would steal their statuses, so the shim never uses child_process: every
// child is made with posix_spawn and reaped by one waitpid(-1) loop.
import { c, errno } from './libc';
import { check, SyscallError, ECHILD, EINTR, ESRCH } from './errors';
import { CLOSE_RANGE_CLOEXEC, F_DUPFD_CLOEXEC, PR_SET_CHILD_SUBREAPER, WNOHANG } from './constants';

const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const POSIX_SPAWN_SETSID = 0x80;
const SIG_SETMASK = 2;

// glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336 on
// x86_64; generous buffers keep us safe on other layouts.
const FILE_ACTIONS_SIZE = 256;
const SPAWNATTR_SIZE = 512;
const SIGSET_SIZE = 128;

export interface SpawnOptions {
  path: string;
  argv: string[];
  env: string[];
  /** fds[i] becomes the child's fd i; every other fd is closed by O_CLOEXEC. */
  fds: number[];
  setsid?: boolean;
  cwd?: string;
}

/** Starts a program; returns its pid. Signal dispositions and mask are reset. */
export function spawn(opts: SpawnOptions): number {
  // A source fd numbered below fds.length could be overwritten by an earlier
  // dup2 of the file actions: move such sources out of the way first.
  const moved: number[] = [];
  const fds = opts.fds.map((fd, i) => {
    if (fd >= opts.fds.length || fd === i) return fd;
    const high = check(c.fcntl(fd, F_DUPFD_CLOEXEC, 'int', opts.fds.length), 'fcntl(F_DUPFD_CLOEXEC)');
    moved.push(high);
    return high;
  });
  const fa = Buffer.alloc(FILE_ACTIONS_SIZE);
  const attr = Buffer.alloc(SPAWNATTR_SIZE);
  check(c.posix_spawn_file_actions_init(fa), 'posix_spawn_file_actions_init');
  check(c.posix_spawnattr_init(attr), 'posix_spawnattr_init');
  try {
    // dup2(fd, fd) clears FD_CLOEXEC in glibc >= 2.29, which Node sets on 0-2.
    fds.forEach((fd, i) => c.posix_spawn_file_actions_adddup2(fa, fd, i));
    if (opts.cwd) c.posix_spawn_file_actions_addchdir_np(fa, opts.cwd);
    const all = Buffer.alloc(SIGSET_SIZE, 0xff);
    const none = Buffer.alloc(SIGSET_SIZE, 0);
    c.posix_spawnattr_setsigdefault(attr, all);
    c.posix_spawnattr_setsigmask(attr, none);
    let flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    if (opts.setsid) flags |= POSIX_SPAWN_SETSID;
    c.posix_spawnattr_setflags(attr, flags);
    const pid = [0];
    const err = c.posix_spawn(pid, opts.path, fa, attr, [...opts.argv, null], [...opts.env, null]);
    if (err !== 0) throw new SyscallError('posix_spawn', err, opts.path);
    return pid[0];
  } finally {
    c.posix_spawn_file_actions_destroy(fa);
    c.posix_spawnattr_destroy(attr);
    for (const fd of moved) c.close(fd);
  }
}

export interface Exit {
  pid: number;
  /** Exit code, or 128 + signal number for a process killed by a signal. */
  status: number;
}

/** Collects every exited child without blocking (waitpid(-1, WNOHANG) loop). */
export function reapAll(): Exit[] {
  const exits: Exit[] = [];
  const st = [0];
  for (;;) {
    const pid = c.waitpid(-1, st, WNOHANG);
    if (pid > 0) {
      exits.push({ pid, status: exitStatus(st[0]) });
      continue;
    }
    if (pid === -1 && errno() === EINTR) continue;
    if (pid === -1 && errno() !== ECHILD) throw new SyscallError('waitpid', errno());
    return exits;
  }
}

/** Decodes a wait status the way containerd's reaper does. */
export function exitStatus(raw: number): number {
  const sig = raw & 0x7f;
  if (sig === 0) return (raw >> 8) & 0xff;
  return 128 + sig;
}

/** kill(2); returns false when the process does not exist (ESRCH). */
export function signal(pid: number, sig: number): boolean {
  if (c.kill(pid, sig) === 0) return true;
  if (errno() === ESRCH) return false;
  throw new SyscallError('kill', errno(), String(pid));
}

export function setChildSubreaper(): void {
  check(c.prctl(PR_SET_CHILD_SUBREAPER, 'unsigned long', 1, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0), 'prctl(PR_SET_CHILD_SUBREAPER)');
}

export function prctl(option: number, arg: number): void {
  check(c.prctl(option, 'unsigned long', arg, 'unsigned long', 0, 'unsigned long', 0, 'unsigned long', 0), `prctl(${option})`);
}

/**
 * Replaces the calling process. Node leaves SIGPIPE ignored and stdio marked
 * close-on-exec; both would leak into the program, so dispositions are reset,
 * the mask cleared and every fd above 2 marked close-on-exec first.
 */
export function execve(path: string, argv: string[], env: string[]): never {
  for (let sig = 1; sig < 65; sig++) {
    if (sig === 9 || sig === 19 || sig === 32 || sig === 33) continue;
    c.signal(sig, null);
  }
  c.sigprocmask(SIG_SETMASK, Buffer.alloc(SIGSET_SIZE, 0), null);
  c.close_range(3, 0xffffffff, CLOSE_RANGE_CLOEXEC);
  c.execve(path, [...argv, null], [...env, null]);
  throw new SyscallError('execve', errno(), path);
}
