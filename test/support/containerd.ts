// Harness for end-to-end tests: a private containerd per test file, started
// and stopped through scripts/containerd.sh (one implementation of the config,
// the cleanup and the image import), plus a bounded `ctr` runner and probes of
// what a container leaves on the host (shim processes, mounts, cgroups, state).
//
// Each instance gets its own paths and namespace, named <test file>-<pid of
// the test process>, so two runs of the suite in one checkout never meet:
//   .work/containerd/<name>/{config.toml,containerd.log,root/}
//   /run/tsshim-test/<checkout>/<name>/{containerd.sock,containerd.ttrpc.sock,state/}
//   namespace tsshim-<name>, so ctr's cgroup path /<namespace>/<id> names the project.
// startContainerd() first runs `down` for every instance whose test process
// is gone, which clears what a crashed earlier run left behind.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestContext } from 'node:test';

/** Repository root, from dist/test/support or test/support. */
export const REPO_ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../..' : '../..');
const CONTAINERD_SH = path.join(REPO_ROOT, 'scripts/containerd.sh');
const IMAGE_TAR = path.join(REPO_ROOT, '.work/images/busybox.tar');

/** The image scripts/build-image.sh builds and containerd.sh imports. */
export const image = process.env.TSSHIM_IMAGE || 'docker.io/library/busybox:tsshim';

/** Runtime under test: tsshim by default; set TSSHIM_TEST_RUNTIME=io.containerd.runc.v2 to check the tests. */
export const runtime = process.env.TSSHIM_TEST_RUNTIME || 'io.containerd.tsshim.v2';

/** io.containerd.NAME.v2 -> containerd-shim-NAME-v2, containerd's resolution rule. */
export function shimBinaryName(runtimeName: string): string {
  const m = /^io\.containerd\.([^.]+)\.(v\d+)$/.exec(runtimeName);
  return m ? `containerd-shim-${m[1]}-${m[2]}` : path.basename(runtimeName);
}

/** Where the runtime keeps per-container state: runc's /run/containerd/runc/<ns>/<id>, likewise tsshim's. */
export function runtimeStateDir(runtimeName: string, namespace: string, id: string): string {
  const m = /^io\.containerd\.([^.]+)\.v\d+$/.exec(runtimeName);
  const root = process.env.TSSHIM_TEST_RUNTIME_ROOT || `/run/containerd/${m ? m[1] : 'runc'}`;
  return path.join(root, namespace, id);
}

function onPath(bin: string, extraDirs: string[] = []): string | undefined {
  for (const dir of [...extraDirs, ...(process.env.PATH || '').split(':')]) {
    if (!dir) continue;
    const p = path.join(dir, bin);
    try { fs.accessSync(p, fs.constants.X_OK); return p; } catch { /* next */ }
  }
  return undefined;
}

/** Why e2e tests cannot run here (undefined when they can). */
export function whyNotReady(runtimeName = runtime): string | undefined {
  if (process.platform !== 'linux') return 'end-to-end tests need Linux';
  if (process.getuid?.() !== 0) return 'end-to-end tests need root (containerd, mounts, cgroups)';
  for (const bin of ['containerd', 'ctr', 'mkfifo']) {
    if (!onPath(bin)) return `${bin} not found on PATH (run scripts/setup.sh)`;
  }
  const shim = shimBinaryName(runtimeName);
  if (!onPath(shim, [path.join(REPO_ROOT, 'shim-bin')])) return `${shim} (runtime ${runtimeName}) not found in shim-bin/ or on PATH`;
  if (!fs.existsSync(IMAGE_TAR) && !fs.existsSync('/bin/busybox')) return 'no busybox image and no /bin/busybox to build one (apt-get install busybox-static)';
  return undefined;
}

/** Skips the test with the reason, printed, when e2e prerequisites are missing. Returns true when it may go on. */
export function requireRoot(t: TestContext, runtimeName = runtime): boolean {
  const reason = whyNotReady(runtimeName);
  if (reason) {
    t.diagnostic(`skipped: ${reason}`);
    t.skip(reason);
    return false;
  }
  return true;
}

export interface CtrResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; timedOut: boolean }
export interface CtrOptions { input?: string; timeoutMs?: number }

/** Runs a command with a hard timeout (SIGKILL to that child only). stdin gets `input`, then EOF. */
export function run(cmd: string, args: string[], opts: CtrOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<CtrResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdin.on('error', () => { /* the command may exit before reading */ });
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

export interface StartOptions {
  /** Instance name prefix (default: the calling test file's name); the test process's pid is appended. */
  name?: string;
  /** containerd namespace; default tsshim-<name>. */
  namespace?: string;
  /** Deadline for `up` (start + image import); default 90 s. */
  timeoutMs?: number;
}

export interface TaskRow { id: string; pid: number; status: string }

export interface Containerd {
  name: string;
  address: string;
  ttrpcAddress: string;
  namespace: string;
  root: string;
  state: string;
  logPath: string;
  /** For `ctr run --fifo-dir`: ctr leaves its FIFOs when a task is never deleted normally (dead shim). */
  fifoDir: string;
  /** ctr --address … --namespace … ARGS, bounded by timeoutMs (default 60 s). */
  ctr(args: string[], opts?: CtrOptions): Promise<CtrResult>;
  /** `ctr task ls`, parsed. */
  tasks(): Promise<TaskRow[]>;
  /** containerd's log so far. */
  logText(): string;
  /** The bundle directory the v2 runtime creates for a task. */
  bundle(id: string): string;
  /** Best effort: SIGKILL the task, remove it and the container. Never throws. */
  removeContainer(id: string): Promise<void>;
  /** `down`: removes every task and container, stops containerd, unmounts and removes its dirs. */
  stop(): Promise<void>;
}

const live = new Set<string>();
process.once('exit', () => {
  // A test file that ends without stop() (crash, forgotten after()) still cleans up.
  for (const name of live) {
    spawnSync(CONTAINERD_SH, ['down'], { env: { ...process.env, TSSHIM_CTD_NAME: name }, stdio: 'ignore', timeout: 60_000 });
  }
});

function callerName(): string {
  const stack = new Error().stack?.split('\n') ?? [];
  for (const line of stack) {
    const m = /\(?([^\s()]+\.test\.[cm]?js)/.exec(line);
    if (m) return path.basename(m[1]).replace(/\.test\.[cm]?js$/, '');
  }
  return `t${process.pid}`;
}

function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Stops and removes instances (named <prefix>-<pid>) whose test process no longer exists. */
async function sweepStale(): Promise<void> {
  const base = path.join(REPO_ROOT, '.work/containerd');
  let dirs: string[] = [];
  try { dirs = fs.readdirSync(base); } catch { return; }
  for (const name of dirs) {
    const owner = /-(\d+)$/.exec(name);
    if (!owner || !fs.existsSync(path.join(base, name, 'config.toml'))) continue;
    if (fs.existsSync(`/proc/${owner[1]}`)) continue;
    const env = { ...process.env, TSSHIM_CTD_NAME: name };
    const down = await run(CONTAINERD_SH, ['down'], { env, timeoutMs: 120_000 });
    if (down.code === 0) fs.rmSync(path.join(base, name), { recursive: true, force: true });
  }
}

export async function startContainerd(opts: StartOptions = {}): Promise<Containerd> {
  const prefix = (opts.name ?? callerName()).replace(/[^A-Za-z0-9-]/g, '-').slice(0, 30);
  const name = `${prefix}-${process.pid}`;
  const namespace = opts.namespace ?? `tsshim-${name}`;
  const env = { ...process.env, TSSHIM_CTD_NAME: name, TSSHIM_NS: namespace, TSSHIM_IMAGE: image };
  const timeoutMs = opts.timeoutMs ?? 90_000;

  await sweepStale();
  live.add(name);
  const up = await run(CONTAINERD_SH, ['up'], { env, timeoutMs });
  if (up.code !== 0) {
    await run(CONTAINERD_SH, ['down'], { env, timeoutMs });
    live.delete(name);
    throw new Error(`containerd.sh up failed (code ${up.code}${up.timedOut ? ', timed out' : ''}): ${up.stderr}`);
  }
  const vars = parseEnv((await run(CONTAINERD_SH, ['env'], { env, timeoutMs: 10_000 })).stdout);
  const address = vars.TSSHIM_CTD_ADDRESS;
  const state = vars.TSSHIM_CTD_STATE;
  const logPath = vars.TSSHIM_CTD_LOG;

  const ctd: Containerd = {
    name,
    address,
    ttrpcAddress: vars.TSSHIM_CTD_TTRPC_ADDRESS,
    namespace,
    root: vars.TSSHIM_CTD_ROOT,
    state,
    logPath,
    fifoDir: path.join(path.dirname(address), 'fifo'),
    ctr: (args, o = {}) => run('ctr', ['--address', address, '--namespace', namespace, ...args], o),
    async tasks() {
      const r = await ctd.ctr(['task', 'ls'], { timeoutMs: 20_000 });
      if (r.code !== 0) throw new Error(`ctr task ls: ${r.stderr}`);
      return r.stdout.split('\n').slice(1).filter((l) => l.trim()).map((l) => {
        const [id, pid, status] = l.trim().split(/\s+/);
        return { id, pid: Number(pid), status };
      });
    },
    logText: () => { try { return fs.readFileSync(logPath, 'utf8'); } catch { return ''; } },
    bundle: (id) => path.join(state, 'io.containerd.runtime.v2.task', namespace, id),
    async removeContainer(id) {
      await ctd.ctr(['task', 'kill', '-a', '-s', 'SIGKILL', id], { timeoutMs: 15_000 }).catch(() => undefined);
      await ctd.ctr(['task', 'rm', '-f', id], { timeoutMs: 20_000 }).catch(() => undefined);
      await ctd.ctr(['container', 'rm', id], { timeoutMs: 20_000 }).catch(() => undefined);
    },
    async stop() {
      const down = await run(CONTAINERD_SH, ['down'], { env, timeoutMs: 120_000 });
      live.delete(name);
      if (down.code !== 0) throw new Error(`containerd.sh down failed (code ${down.code}): ${down.stderr}`);
    },
  };
  return ctd;
}

// ---- probes of the host, for "leaves nothing behind" assertions ----

function argv(pid: string): string[] {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean); } catch { return []; }
}

/** Pids of shim processes started by this containerd (argv has `-address <its socket>`), optionally for one id. */
export function shimPids(ctd: Pick<Containerd, 'address'>, id?: string): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const a = argv(pid);
    const addr = a.indexOf('-address');
    if (addr < 0 || a[addr + 1] !== ctd.address) continue;
    if (id !== undefined) {
      const i = a.indexOf('-id');
      if (i < 0 || a[i + 1] !== id) continue;
    }
    if (Number(pid) !== process.pid) out.push(Number(pid));
  }
  return out;
}

/** Mount points (from /proc/self/mountinfo) at or under any of the given paths. */
export function mountsUnder(...dirs: string[]): string[] {
  const text = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  const points = text.split('\n').filter(Boolean).map((l) => l.split(' ')[4].replace(/\\(\d{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))));
  return points.filter((p) => dirs.some((d) => p === d || p.startsWith(d.endsWith('/') ? d : `${d}/`)));
}

/** Existing cgroup directories /sys/fs/cgroup/{,<hierarchy>/}<cgroupPath>. */
export function cgroupDirs(cgroupPath: string): string[] {
  const rel = cgroupPath.replace(/^\/+/, '');
  const out: string[] = [];
  const base = '/sys/fs/cgroup';
  if (fs.existsSync(path.join(base, rel))) out.push(path.join(base, rel));
  for (const h of fs.readdirSync(base)) {
    const p = path.join(base, h, rel);
    try { if (fs.statSync(path.join(base, h)).isDirectory() && fs.existsSync(p)) out.push(p); } catch { /* not a dir */ }
  }
  return out;
}

/** The socket path in a shim's `<bundle>/address` (unix://… stripped), if the file exists. */
export function shimSocket(bundle: string): string | undefined {
  try {
    const a = fs.readFileSync(path.join(bundle, 'address'), 'utf8').trim();
    return a.replace(/^unix:\/\//, '');
  } catch { return undefined; }
}

export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  // A zombie is not alive for our purposes.
  try { return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8')); } catch { return false; }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls fn until it returns a truthy value or timeoutMs passes; returns the last value. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v || Date.now() >= end) return v;
    await sleep(intervalMs);
  }
}

/** A short random id suffix, so reruns never collide with leftovers. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}
