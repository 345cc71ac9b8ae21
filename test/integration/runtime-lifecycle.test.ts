// The runtime core against the real kernel: namespaces, mounts, cgroups and
// the exec.fifo gate, without containerd.
import { test, before, after } from 'node:test';
import assert = require('node:assert/strict');
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runtime } from '../../src/runtime/runtime';
import { RuntimeError } from '../../src/runtime/errors';
import { InitLauncher } from '../../src/init/launcher';
import { startReaper } from '../../src/shim/reaper';
import { makeBundle, whyNoBundle } from '../support/bundle';

const skip = whyNoBundle();
const exits = new Map<number, number>();
const waiters = new Map<number, (s: number) => void>();
let launcher: InitLauncher;
let root: string;
let runtime: Runtime;
let work: string;
const CG = `/tsshim-it-${process.pid}`;

// A SIGCHLD listener does not keep Node's event loop alive; a timer does.
function waitExit(pid: number): Promise<number> {
  if (exits.has(pid)) return Promise.resolve(exits.get(pid)!);
  const keepAlive = setInterval(() => {}, 1000);
  return new Promise<number>((resolve) => waiters.set(pid, resolve)).finally(() => clearInterval(keepAlive));
}

before(() => {
  if (skip) return;
  startReaper((e) => {
    exits.set(e.pid, e.status);
    waiters.get(e.pid)?.(e.status);
  });
  launcher = new InitLauncher();
  launcher.prewarm();
  root = mkdtempSync('/run/tsshim-it-');
  work = mkdtempSync(join(tmpdir(), 'tsshim-it-out-'));
  runtime = new Runtime(root);
});

after(() => {
  if (skip) return;
  launcher.dispose();
  rmSync(root, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
  for (const h of readdirSync('/sys/fs/cgroup')) {
    try {
      rmdirSync(join('/sys/fs/cgroup', h, CG));
    } catch {
      // not there
    }
  }
});

async function lifecycle(args: string[], id: string) {
  const bundle = makeBundle(args, `${CG}/${id}`);
  const out = join(work, `${id}.out`);
  const c = await runtime.create(id, bundle.dir, { launcher, stdio: [null, out, out] });
  return { bundle, out, c };
}

test('create leaves the program gated: status created, no output until start', { skip }, async () => {
  const { bundle, out, c } = await lifecycle(['sh', '-c', 'echo ran'], 'gate');
  try {
    assert.equal(c.status(), 'created');
    assert.ok(existsSync(join(root, 'gate', 'exec.fifo')));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(readFileSync(out, 'utf8'), '');
    await c.start();
    assert.equal(await waitExit(c.pid), 0);
    assert.equal(readFileSync(out, 'utf8'), 'ran\n');
    assert.equal(c.status(), 'stopped');
  } finally {
    await c.destroy(true);
    bundle.remove();
  }
  assert.equal(existsSync(join(root, 'gate')), false);
});

test('the program runs as PID 1 with the spec hostname, its cgroup and masked and read-only paths', { skip }, async () => {
  const script = 'echo pid=$$; hostname; grep memory /proc/self/cgroup; echo; cat /proc/timer_list 2>/dev/null | head -c 1 | wc -c; echo 2>/dev/null > /proc/sys/kernel/domainname || echo ro';
  const { bundle, out, c } = await lifecycle(['sh', '-c', script], 'inside');
  try {
    await c.start();
    assert.equal(await waitExit(c.pid), 0);
    const lines = readFileSync(out, 'utf8').split('\n');
    assert.equal(lines[0], 'pid=1');
    assert.equal(lines[1], 'tsshim-it');
    assert.match(lines[2], new RegExp(`memory:${CG}/inside$`));
    assert.equal(lines[3], '');
    assert.equal(lines[4].trim(), '0');
    assert.equal(lines[5], 'ro');
  } finally {
    await c.destroy(true);
    bundle.remove();
  }
});

test('no file descriptor of the runtime reaches the program: it has 0, 1 and 2 only', { skip }, async () => {
  // ls itself opens the directory it lists, as fd 3.
  const { bundle, out, c } = await lifecycle(['ls', '/proc/self/fd'], 'fds');
  try {
    await c.start();
    assert.equal(await waitExit(c.pid), 0);
    assert.deepEqual(readFileSync(out, 'utf8').trim().split(/\s+/), ['0', '1', '2', '3']);
  } finally {
    await c.destroy(true);
    bundle.remove();
  }
});

test('the exit status of the program reaches the runtime, and a signal gives 128+n', { skip }, async () => {
  const a = await lifecycle(['sh', '-c', 'exit 3'], 'exit3');
  await a.c.start();
  assert.equal(await waitExit(a.c.pid), 3);
  await a.c.destroy();
  a.bundle.remove();
  const b = await lifecycle(['sleep', '1000'], 'killed');
  await b.c.start();
  assert.equal(b.c.status(), 'running');
  b.c.signal(9);
  assert.equal(await waitExit(b.c.pid), 137);
  await b.c.destroy();
  b.bundle.remove();
});

test('starting a stopped container fails with runc\'s message, starting a running one fails too', { skip }, async () => {
  const { bundle, c } = await lifecycle(['sleep', '1000'], 'twice');
  try {
    await c.start();
    await assert.rejects(c.start(), /cannot start a container in running state/);
    c.signal(9);
    await waitExit(c.pid);
    await assert.rejects(c.start(), /cannot start a container that has stopped/);
  } finally {
    await c.destroy(true);
    bundle.remove();
  }
});

test('a running container is not deleted without force; with force it is killed and removed', { skip }, async () => {
  const { bundle, c } = await lifecycle(['sleep', '1000'], 'busy');
  await c.start();
  await assert.rejects(c.destroy(), (e: unknown) => e instanceof RuntimeError && e.kind === 'failed-precondition');
  await c.destroy(true);
  assert.equal(existsSync(join(root, 'busy')), false);
  assert.equal(existsSync(`/sys/fs/cgroup/memory${CG}/busy`), false);
  bundle.remove();
});

test('a failed create (program not found) reports the reason and leaves no state, cgroup or process', { skip }, async () => {
  const bundle = makeBundle(['no-such-program'], `${CG}/missing`);
  try {
    await assert.rejects(runtime.create('missing', bundle.dir, { launcher, stdio: [null, null, null] }),
      /executable file not found in \$PATH/);
    assert.equal(existsSync(join(root, 'missing')), false);
    assert.equal(existsSync(`/sys/fs/cgroup/memory${CG}/missing`), false);
  } finally {
    bundle.remove();
  }
});

test('bad input is refused before anything is made: invalid id, duplicate id, broken config.json', { skip }, async () => {
  const bundle = makeBundle(['true'], `${CG}/dup`);
  try {
    await assert.rejects(runtime.create('../evil', bundle.dir, { launcher, stdio: [null, null, null] }), /invalid container id/);
    const c = await runtime.create('dup', bundle.dir, { launcher, stdio: [null, null, null] });
    await assert.rejects(runtime.create('dup', bundle.dir, { launcher, stdio: [null, null, null] }), /exists/);
    await c.destroy();
    (bundle.spec as { process?: unknown }).process = undefined;
    bundle.write();
    await assert.rejects(runtime.create('broken', bundle.dir, { launcher, stdio: [null, null, null] }), /process is required/);
    assert.equal(existsSync(join(root, 'broken')), false);
    assert.throws(() => runtime.load('nope'), /does not exist/);
  } finally {
    bundle.remove();
  }
});
