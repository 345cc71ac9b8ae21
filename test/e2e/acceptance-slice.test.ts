// The acceptance slice: what containerd and ctr users see of a runtime, run
// against a private containerd. Parameterized by TSSHIM_TEST_RUNTIME (default
// io.containerd.tsshim.v2), so the same tests check themselves against the Go
// runc shim: TSSHIM_TEST_RUNTIME=io.containerd.runc.v2.
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  Containerd, cgroupDirs, image, mountsUnder, pidAlive, run, runtime, runtimeStateDir,
  shimPids, shimSocket, sleep, startContainerd, uniqueId, waitFor, whyNotReady,
} from '../support/containerd';
import { ContainerdClient, Mount } from '../support/tasks-grpc';

const skip = whyNotReady(runtime);
if (skip) console.log(`# acceptance-slice skipped: ${skip}`);

const SIGKILL = 9;
/** Per-test options: bounded, and skipped with the reason when the machine lacks something. */
const opts = (timeout = 120_000) => ({ timeout, skip: skip ?? false });

describe(`acceptance slice with runtime ${runtime}`, () => {
  let ctd: Containerd;
  let api: ContainerdClient;

  before(async () => {
    if (skip) return;
    ctd = await startContainerd({ name: 'acceptance' });
    api = new ContainerdClient({ address: ctd.address, namespace: ctd.namespace });
  });

  after(async () => {
    api?.close();
    await ctd?.stop();
  });

  const runArgs = (...rest: string[]) => ['run', '--runtime', runtime, '--fifo-dir', ctd.fifoDir, ...rest];

  it('ctr run --rm passes stdout and stderr through and returns the exit code', opts(), async () => {
    const id = uniqueId('a');
    try {
      const r = await ctd.ctr(runArgs('--rm', image, id, 'sh', '-c', 'echo out; echo err >&2; exit 3'), { timeoutMs: 30_000 });
      assert.equal(r.timedOut, false, 'ctr run timed out');
      assert.equal(r.code, 3, `exit code; stderr: ${r.stderr}`);
      assert.match(r.stdout, /^out$/m);
      assert.match(r.stderr, /^err$/m);
      assert.doesNotMatch(r.stdout, /err/);
    } finally {
      await ctd.removeContainer(id);
    }
  });

  it('ctr task kill ends a detached task with its exit status (SIGTERM trap -> 7, SIGKILL -> 137)', opts(), async () => {
    const term = uniqueId('b-term');
    const killed = uniqueId('b-kill');
    try {
      const r = await ctd.ctr(runArgs('-d', image, term, 'sh', '-c', 'trap "exit 7" TERM; while :; do sleep 0.2; done'));
      assert.equal(r.code, 0, `ctr run -d: ${r.stderr}`);
      const row = (await ctd.tasks()).find((t) => t.id === term);
      assert.ok(row, 'task listed by ctr task ls');
      assert.equal(row.status, 'RUNNING');
      assert.ok(row.pid > 0, 'task has a host pid');
      assert.notEqual(fs.readlinkSync(`/proc/${row.pid}/ns/pid`), fs.readlinkSync('/proc/self/ns/pid'),
        'container init runs in its own PID namespace');

      const k = await ctd.ctr(['task', 'kill', term]);
      assert.equal(k.code, 0, `ctr task kill: ${k.stderr}`);
      const exit = await api.wait(term, '', 20_000);
      assert.equal(exit.exit_status, 7);
      assert.equal((await ctd.tasks()).find((t) => t.id === term)?.status, 'STOPPED');
      assert.equal((await api.getTask(term)).exit_status, 7);
      assert.equal((await ctd.ctr(['task', 'rm', term])).code, 0);
      assert.equal((await ctd.ctr(['container', 'rm', term])).code, 0);

      assert.equal((await ctd.ctr(runArgs('-d', image, killed, 'sleep', '1000'))).code, 0);
      assert.equal((await ctd.tasks()).find((t) => t.id === killed)?.status, 'RUNNING');
      assert.equal((await ctd.ctr(['task', 'kill', '-s', 'SIGKILL', killed])).code, 0);
      assert.equal((await api.wait(killed, '', 20_000)).exit_status, 137);
      assert.equal((await ctd.tasks()).find((t) => t.id === killed)?.status, 'STOPPED');
      const rm = await ctd.ctr(['task', 'rm', killed]);
      assert.equal(rm.code, 0, `ctr task rm: ${rm.stderr}`);
      const crm = await ctd.ctr(['container', 'rm', killed]);
      assert.equal(crm.code, 0, `ctr c rm: ${crm.stderr}`);
      assert.equal((await ctd.tasks()).some((t) => t.id === term || t.id === killed), false);
    } finally {
      await ctd.removeContainer(term);
      await ctd.removeContainer(killed);
    }
  });

  it('Tasks.Create holds the program until Tasks.Start, then runs it as PID 1 with the spec\'s hostname and cgroup', opts(), async () => {
    const id = uniqueId('c');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsshim-e2e-'));
    const readers: net.Socket[] = [];
    const script = 'echo started; echo "cmdline=$(tr \'\\0\' \'|\' </proc/1/cmdline)"; echo "hostname=$(hostname)"; ' +
      'echo cgroup-begin; cat /proc/self/cgroup; echo cgroup-end; sleep 100';
    try {
      // The container record (spec + snapshot) comes from ctr; the task from the gRPC API.
      const cc = await ctd.ctr(['container', 'create', '--runtime', runtime, image, id, '--', 'sh', '-c', script]);
      assert.equal(cc.code, 0, `ctr container create: ${cc.stderr}`);
      const spec = await api.getSpec(id);
      spec.hostname = id;
      await api.setSpec(id, spec);
      const cgroupsPath: string = spec.linux.cgroupsPath;
      assert.equal(cgroupsPath, `/${ctd.namespace}/${id}`, 'ctr\'s default cgroup path');

      // containerd's Tasks.Create does not look up the snapshot; the client passes its mounts.
      const rootfs = await snapshotMounts(ctd, id);
      // The client makes and reads the FIFOs, as ctr does (the runc shim opens every path it is given).
      let output = '';
      let errors = '';
      const stdout = await openFifo(path.join(dir, 'stdout'), readers, (d) => { output += d; });
      const stderr = await openFifo(path.join(dir, 'stderr'), readers, (d) => { errors += d; });

      const created = await api.createTask({ container_id: id, rootfs, stdout, stderr });
      assert.ok(created.pid > 0, 'Create returns the init pid');
      for (let i = 0; i < 4; i++) {
        const p = await api.getTask(id);
        assert.equal(p.status, 'CREATED');
        assert.equal(p.pid, created.pid);
        assert.ok(pidAlive(created.pid), 'the init process exists while created');
        assert.equal(output, '', 'the program has not run before Start');
        await sleep(500);
      }

      const started = await api.startTask(id);
      assert.equal(started.pid, created.pid);
      await waitFor(() => /^cgroup-end$/m.test(output), 10_000);
      assert.match(output, /^started$/m, `output: ${output} stderr: ${errors}`);
      assert.equal((await api.getTask(id)).status, 'RUNNING');

      const cmdline = /^cmdline=(.*)$/m.exec(output)?.[1];
      assert.equal(cmdline, `${spec.process.args.join('|')}|`, 'PID 1 is the program');
      assert.equal(/^hostname=(.*)$/m.exec(output)?.[1], id, 'hostname from config.json');
      const lines = output.split('\n');
      const cgroup = lines.slice(lines.indexOf('cgroup-begin') + 1, lines.indexOf('cgroup-end'));
      assert.ok(cgroup.some((l) => l.endsWith(`:${cgroupsPath}`)), `/proc/self/cgroup names ${cgroupsPath}: ${cgroup.join(' / ')}`);

      await api.kill(id, SIGKILL);
      assert.equal((await api.wait(id, '', 20_000)).exit_status, 137);
      const del = await api.deleteTask(id);
      assert.equal(del.exit_status, 137);
      const crm = await ctd.ctr(['container', 'rm', id]);
      assert.equal(crm.code, 0, `ctr c rm: ${crm.stderr}`);
    } finally {
      for (const r of readers) r.destroy();
      await ctd.removeContainer(id);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('20 sequential and 10 parallel ctr run --rm leave no shim, mount, cgroup, socket or state behind', opts(300_000), async () => {
    const ids: string[] = [];
    const sockets = new Set<string>();
    const taskDir = path.join(ctd.state, 'io.containerd.runtime.v2.task', ctd.namespace);
    // Learn the shims' sockets while their tasks run.
    const poll = setInterval(() => {
      for (const id of ids) {
        const s = shimSocket(path.join(taskDir, id));
        if (s) sockets.add(s);
      }
    }, 20);
    const once = async (id: string) => {
      const r = await ctd.ctr(runArgs('--rm', image, id, 'sleep', '0.3'), { timeoutMs: 60_000 });
      assert.equal(r.code, 0, `ctr run ${id}: code ${r.code} ${r.timedOut ? '(timed out)' : ''} ${r.stderr}`);
    };
    try {
      for (let i = 0; i < 20; i++) {
        const id = uniqueId(`d-seq${i}`);
        ids.push(id);
        await once(id);
      }
      const par = Array.from({ length: 10 }, (_, i) => uniqueId(`d-par${i}`));
      ids.push(...par);
      await Promise.all(par.map(once));
      clearInterval(poll);

      // --rm returns after the shim answered Delete; its exit may trail a little.
      const shims = await waitFor(() => shimPids(ctd).length === 0, 10_000) ? [] : shimPids(ctd);
      assert.deepEqual(shims, [], 'no shim process left');
      assert.deepEqual(mountsUnder(ctd.root, ctd.state), [], 'no mounts under containerd root/state');
      for (const id of ids) {
        assert.deepEqual(cgroupDirs(`/${ctd.namespace}/${id}`), [], `no cgroup for ${id}`);
        assert.equal(fs.existsSync(path.join(taskDir, id)), false, `bundle of ${id} removed`);
        assert.equal(fs.existsSync(runtimeStateDir(runtime, ctd.namespace, id)), false, `runtime state of ${id} removed`);
      }
      assert.ok(sockets.size > 0, 'saw the shims\' sockets while they ran');
      const leftSockets = [...sockets].filter((s) => fs.existsSync(s));
      assert.deepEqual(leftSockets, [], 'shim sockets removed');
      assert.deepEqual((await ctd.tasks()).map((t) => t.id), [], 'no tasks left');
      const errors = ctd.logText().split('\n').filter((l) => l.includes('level=error') && ids.some((id) => l.includes(id)));
      assert.deepEqual(errors, [], 'containerd logged no errors about these containers');
    } finally {
      clearInterval(poll);
      for (const id of ids) await ctd.removeContainer(id);
    }
  });

  it('kill -9 of the shim lets containerd clean up the task, its processes, rootfs mount, cgroup and state', opts(), async (t) => {
    const id = uniqueId('e');
    let socket: string | undefined;
    try {
      assert.equal((await ctd.ctr(runArgs('-d', image, id, 'sleep', '1000'))).code, 0);
      const row = (await ctd.tasks()).find((t) => t.id === id);
      assert.equal(row?.status, 'RUNNING');
      const initPid = row!.pid;
      const rootfs = path.join(ctd.bundle(id), 'rootfs');
      const stateDir = runtimeStateDir(runtime, ctd.namespace, id);
      assert.deepEqual(mountsUnder(rootfs), [rootfs], 'rootfs mounted while running');
      assert.ok(cgroupDirs(`/${ctd.namespace}/${id}`).length > 0, 'cgroup exists while running');
      assert.ok(fs.existsSync(stateDir), `runtime state dir ${stateDir} exists while running`);
      const shims = shimPids(ctd, id);
      // One process for the Go shim; a launcher that does not exec could add a second.
      assert.ok(shims.length >= 1 && shims.length <= 2, `the shim process(es) for ${id}: ${shims}`);
      socket = shimSocket(ctd.bundle(id));

      for (const pid of shims) process.kill(pid, 'SIGKILL');

      const gone = await waitFor(async () => !(await ctd.tasks()).some((t) => t.id === id), 15_000, 250);
      if (!gone) {
        const rm = await ctd.ctr(['task', 'rm', '-f', id], { timeoutMs: 20_000 });
        assert.equal(rm.code, 0, `ctr task rm after the shim died: ${rm.stderr}`);
      }
      assert.equal(await waitFor(() => !pidAlive(initPid), 10_000), true, 'container init is gone');
      assert.equal(await waitFor(() => mountsUnder(rootfs).length === 0, 10_000), true, 'rootfs unmounted');
      assert.equal(await waitFor(() => cgroupDirs(`/${ctd.namespace}/${id}`).length === 0, 10_000), true, 'cgroup removed');
      assert.equal(await waitFor(() => !fs.existsSync(stateDir), 10_000), true, `${stateDir} removed`);
      assert.equal((await ctd.ctr(['container', 'rm', id])).code, 0);
    } finally {
      await ctd.removeContainer(id);
      // A shim killed with SIGKILL cannot remove its socket, and containerd 1.6 does not either.
      if (socket && fs.existsSync(socket)) {
        t.diagnostic(`the dead shim's socket ${socket} was left behind; removed by the test`);
        fs.rmSync(socket, { force: true });
      }
    }
  });

  it('the shim survives random bytes, an oversize length header and an unknown ttrpc method', opts(), async () => {
    const id = uniqueId('f');
    try {
      assert.equal((await ctd.ctr(runArgs('-d', image, id, 'sleep', '1000'))).code, 0);
      const socket = shimSocket(ctd.bundle(id));
      assert.ok(socket, 'bundle has the shim address');

      await sendRaw(socket, randomBytes(256), 300);
      // Length 0xfffffff0 is far over ttrpc's 4 MiB message limit.
      await sendRaw(socket, Buffer.concat([frameHeader(0xfffffff0, 3, 1), randomBytes(32)]), 300);
      const reply = await sendRaw(socket, ttrpcRequest(1, 'containerd.task.v2.Task', 'Nope'), 3_000, true);
      const frame = parseFrame(reply);
      assert.ok(frame, `a response frame to the unknown method (got ${reply.length} bytes)`);
      assert.equal(frame.streamId, 1);
      assert.equal(frame.type, 2, 'frame type Response');
      assert.equal(statusCode(frame.payload), 12, 'status UNIMPLEMENTED');

      const row = (await ctd.tasks()).find((t) => t.id === id);
      assert.equal(row?.status, 'RUNNING', 'the shim still answers and the container runs');
      assert.equal((await ctd.ctr(['task', 'kill', '-s', 'SIGKILL', id])).code, 0);
      assert.equal((await api.wait(id, '', 20_000)).exit_status, 137);
      assert.equal((await ctd.ctr(['task', 'rm', id])).code, 0);
      assert.equal((await ctd.ctr(['container', 'rm', id])).code, 0);
    } finally {
      await ctd.removeContainer(id);
    }
  });
});

/** Makes a FIFO and reads it. O_RDWR: the open never blocks, and the shim's O_WRONLY open finds a reader. */
async function openFifo(fifo: string, readers: net.Socket[], onData: (d: string) => void): Promise<string> {
  assert.equal((await run('mkfifo', [fifo])).code, 0);
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const reader = new net.Socket({ fd, readable: true, writable: false });
  readers.push(reader);
  reader.setEncoding('utf8').on('data', onData);
  return fifo;
}

/** Mounts of a container's snapshot, from `ctr snapshots mounts` (a `mount -t T SRC DST -o OPTS` line). */
async function snapshotMounts(ctd: Containerd, key: string): Promise<Mount[]> {
  const r = await ctd.ctr(['snapshots', 'mounts', '/rootfs', key]);
  assert.equal(r.code, 0, `ctr snapshots mounts: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('mount ')).map((line) => {
    const words = line.trim().split(/\s+/);
    const type = words[words.indexOf('-t') + 1];
    const o = words.indexOf('-o');
    const rest = words.filter((_, i) => i > 0 && i !== words.indexOf('-t') && i !== words.indexOf('-t') + 1 && i !== o && i !== o + 1);
    return { type, source: rest[0], options: o >= 0 ? words[o + 1].split(',') : [] };
  });
}

// ttrpc frame: | length u32 BE | stream id u32 BE | type u8 (1 request, 2 response) | flags u8 | payload |
function frameHeader(length: number, streamId: number, type: number): Buffer {
  const h = Buffer.alloc(10);
  h.writeUInt32BE(length, 0);
  h.writeUInt32BE(streamId, 4);
  h.writeUInt8(type, 8);
  h.writeUInt8(0, 9);
  return h;
}

/** ttrpc.Request{service = 1, method = 2}, hand-encoded (strings < 128 bytes). */
function ttrpcRequest(streamId: number, service: string, method: string): Buffer {
  const field = (tag: number, s: string) => Buffer.concat([Buffer.from([tag, Buffer.byteLength(s)]), Buffer.from(s)]);
  const payload = Buffer.concat([field(0x0a, service), field(0x12, method)]);
  return Buffer.concat([frameHeader(payload.length, streamId, 1), payload]);
}

function parseFrame(b: Buffer): { streamId: number; type: number; payload: Buffer } | undefined {
  if (b.length < 10) return undefined;
  const len = b.readUInt32BE(0);
  if (b.length < 10 + len) return undefined;
  return { streamId: b.readUInt32BE(4), type: b.readUInt8(8), payload: b.subarray(10, 10 + len) };
}

function varint(b: Buffer, at: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const byte = b[at++];
    v += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [v, at];
    shift += 7;
  }
}

/** google.rpc.Status.code of ttrpc.Response{status = 1}; 0 when absent. */
function statusCode(response: Buffer): number {
  for (let i = 0; i < response.length;) {
    const [key, next] = varint(response, i);
    const [len, start] = (key & 7) === 2 ? varint(response, next) : [0, next];
    if (key >> 3 === 1) {
      const status = response.subarray(start, start + len);
      for (let j = 0; j < status.length;) {
        const [k, n] = varint(status, j);
        if (k === (1 << 3)) return varint(status, n)[0];
        if ((k & 7) === 2) { const [l, s] = varint(status, n); j = s + l; } else j = varint(status, n)[1];
      }
      return 0;
    }
    i = (key & 7) === 2 ? start + len : varint(response, next)[1];
  }
  return 0;
}

/** Writes bytes on a fresh connection, collects what comes back for waitMs (or until a whole frame arrives), closes. */
function sendRaw(socketPath: string, bytes: Buffer, waitMs: number, untilFrame = false): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const conn = net.createConnection(socketPath);
    const done = () => { clearTimeout(timer); conn.destroy(); resolve(Buffer.concat(chunks)); };
    const timer = setTimeout(done, waitMs);
    conn.on('connect', () => conn.write(bytes));
    conn.on('data', (d) => { chunks.push(d); if (untilFrame && parseFrame(Buffer.concat(chunks))) done(); });
    conn.on('error', done);
    conn.on('close', done);
  });
}
