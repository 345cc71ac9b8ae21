// Task events reach containerd in the order the shim v2 contract requires:
// /tasks/create, /tasks/start, /tasks/exit, /tasks/delete.
import { test, before, after } from 'node:test';
import assert = require('node:assert/strict');
import { spawn } from 'node:child_process';
import { startContainerd, requireRoot, image, runtime, uniqueId, waitFor, type Containerd } from '../support/containerd';

let ctd: Containerd | undefined;

before(async () => {
  ctd = await startContainerd();
});

after(async () => {
  await ctd?.stop();
});

test('a container run publishes create, start, exit and delete, in that order', async (t) => {
  if (!requireRoot(t)) return;
  const c = ctd!;
  const id = uniqueId('ev');
  const events = spawn('ctr', ['--address', c.address, '--namespace', c.namespace, 'events'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  events.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await new Promise((r) => setTimeout(r, 300));
    const res = await c.ctr(['run', '--rm', '--fifo-dir', c.fifoDir, '--runtime', runtime, image, id, 'sh', '-c', 'exit 5']);
    assert.equal(res.code, 5);
    const topics = await waitFor(() => {
      const seen = out.split('\n').filter((l) => l.includes(`"${id}"`) || l.includes(`container_id:"${id}"`) || l.includes(id))
        .map((l) => /\/tasks\/[a-z-]+/.exec(l)?.[0]).filter(Boolean);
      return seen.includes('/tasks/delete') ? seen : undefined;
    }, 10_000);
    assert.deepEqual(topics, ['/tasks/create', '/tasks/start', '/tasks/exit', '/tasks/delete']);
    const exit = out.split('\n').find((l) => l.includes('/tasks/exit') && l.includes(id)) ?? '';
    assert.match(exit, /exit_status:5|"exit_status":5|ExitStatus:5/);
  } finally {
    events.kill('SIGKILL');
    await c.removeContainer(id);
  }
});
