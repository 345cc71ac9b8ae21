import { afterEach, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { ttrpc } from '../../../src/gen/proto';
import { Client } from '../../../src/ttrpc/client';
import { Code, TtrpcError } from '../../../src/ttrpc/codes';
import { encodeFrame, MessageType, MESSAGE_LENGTH_MAX, type Frame } from '../../../src/ttrpc/frame';
import { Server } from '../../../src/ttrpc/server';
import {
  GOLDEN_NOT_FOUND_RESPONSE_FRAME,
  GOLDEN_STATE_REQUEST_FRAME,
  GOLDEN_STATE_REQUEST_PAYLOAD,
  GOLDEN_STATE_RESPONSE_FRAME,
  GOLDEN_STATE_RESPONSE_PAYLOAD,
  hex,
} from './golden';
import { RawPeer, socketDir, type SocketDir } from './harness';

const TASK = 'containerd.task.v2.Task';

// A listener whose accepted connections are RawPeers, to see exactly what the
// client writes and to answer with hand-made frames.
let dir: SocketDir;
let listener: net.Server;
let accepted: Promise<RawPeer>;
let peers: RawPeer[];
let clients: Client[];

beforeEach(async () => {
  dir = await socketDir();
  peers = [];
  clients = [];
  listener = net.createServer();
  accepted = new Promise((resolve) =>
    listener.once('connection', (socket) => {
      const peer = new RawPeer(socket);
      peers.push(peer);
      resolve(peer);
    }),
  );
  await new Promise<void>((resolve) => listener.listen(dir.socket, resolve));
});

afterEach(async () => {
  await Promise.all([...clients.map((c) => c.close()), ...peers.map((p) => p.destroy())]);
  await new Promise((resolve) => listener.close(resolve));
  await dir.remove();
});

async function connect(address = dir.socket): Promise<[Client, RawPeer]> {
  const client = await Client.connect(address);
  clients.push(client);
  return [client, await accepted];
}

function respond(peer: RawPeer, streamId: number, response: ttrpc.Response.$Properties): void {
  peer.send(encodeFrame(streamId, MessageType.Response, 0, ttrpc.Response.encode(response).finish()));
}

async function nextRequest(peer: RawPeer): Promise<[Frame, ttrpc.Request]> {
  const frame = await peer.nextFrame();
  assert.ok(frame, 'connection closed before a request');
  return [frame, ttrpc.Request.decode(frame.data)];
}

test('Client.call() writes the golden State request and resolves with the golden response payload', async () => {
  const [client, peer] = await connect();
  const call = client.call(TASK, 'State', GOLDEN_STATE_REQUEST_PAYLOAD, {
    timeoutMs: 2000,
    metadata: { 'containerd-namespace-ttrpc': 'default' },
  });
  await peer.nextFrame();
  assert.deepEqual(peer.received(), GOLDEN_STATE_REQUEST_FRAME);
  peer.send(GOLDEN_STATE_RESPONSE_FRAME);
  assert.deepEqual(Buffer.from(await call), GOLDEN_STATE_RESPONSE_PAYLOAD);
});

test('Client numbers calls 1, 3, 5 and matches responses that arrive out of order', async () => {
  const [client, peer] = await connect();
  const calls = ['a', 'b', 'c'].map((m) => client.call('test.v1.Test', m, hex('')));
  const ids: number[] = [];
  for (let i = 0; i < 3; i++) ids.push((await nextRequest(peer))[0].streamId);
  assert.deepEqual(ids, [1, 3, 5]);
  for (const id of [5, 1, 3]) respond(peer, id, { payload: Buffer.from([id]) });
  assert.deepEqual(
    (await Promise.all(calls)).map((p) => [...p]),
    [[1], [3], [5]],
  );
});

test('Client rejects with a TtrpcError carrying the status code of a failed call', async () => {
  const [client, peer] = await connect();
  const first = client.call(TASK, 'State', hex(''));
  const second = client.call(TASK, 'State', hex(''));
  await nextRequest(peer);
  await nextRequest(peer);
  peer.send(GOLDEN_NOT_FOUND_RESPONSE_FRAME); // stream 3
  await assert.rejects(second, (err) => err instanceof TtrpcError && err.code === 5 && err.message === 'not found');
  respond(peer, 1, { status: { code: 0 } });
  assert.equal((await first).length, 0);
});

test('Client sees code 5 when a real Server handler throws TtrpcError(NotFound)', async () => {
  const server = new Server();
  server.register(TASK, {
    State: () => {
      throw new TtrpcError(Code.NotFound, 'container c1: not found');
    },
  });
  const address = `unix://${dir.socket}.server`;
  await server.listen(address);
  const client = await Client.connect(address);
  try {
    await assert.rejects(client.call(TASK, 'State', hex('0a026331')), { code: 5, message: 'container c1: not found' });
  } finally {
    await client.close();
    await server.close();
  }
});

test('Client rejects locally with DeadlineExceeded after timeoutMs and sends the deadline as timeout_nano', async () => {
  const [client, peer] = await connect();
  const call = client.call('test.v1.Test', 'Slow', hex(''), { timeoutMs: 30 });
  const [, request] = await nextRequest(peer);
  assert.equal(Number(request.timeoutNano), 30_000_000);
  await assert.rejects(call, { code: Code.DeadlineExceeded });
  respond(peer, 1, { payload: hex('01') }); // too late: dropped
  const next = client.call('test.v1.Test', 'Fast', hex(''));
  await nextRequest(peer);
  respond(peer, 3, { payload: hex('03') });
  assert.deepEqual(Buffer.from(await next), hex('03'));
});

test('Client rejects every pending call with Unavailable and emits close when the connection drops', async () => {
  const [client, peer] = await connect();
  const closed = new Promise<Error | undefined>((resolve) => client.once('close', resolve));
  const calls = [1, 2].map(() => assert.rejects(client.call('test.v1.Test', 'Wait', hex('')), { code: Code.Unavailable }));
  await nextRequest(peer);
  await nextRequest(peer);
  await peer.destroy();
  await Promise.all(calls);
  await closed;
  assert.equal(client.closed, true);
  await assert.rejects(client.call('test.v1.Test', 'Wait', hex('')), { code: Code.Unavailable, message: /^ttrpc: closed/ });
});

test('Client.close() rejects pending calls and resolves once the socket is closed', async () => {
  const [client, peer] = await connect();
  const call = assert.rejects(client.call('test.v1.Test', 'Wait', hex('')), { code: Code.Unavailable });
  await nextRequest(peer);
  await client.close();
  await call;
  await peer.closed;
});

test('Client refuses a request over 4 MiB before sending it and keeps the connection', async () => {
  const [client, peer] = await connect();
  await assert.rejects(client.call('test.v1.Test', 'Big', new Uint8Array(MESSAGE_LENGTH_MAX)), {
    code: Code.ResourceExhausted,
  });
  const call = client.call('test.v1.Test', 'Small', hex(''));
  const [frame] = await nextRequest(peer);
  assert.equal(frame.streamId, 3);
  respond(peer, 3, {});
  await call;
});

test('Client rejects a call whose response is declared over 4 MiB and keeps the connection', async () => {
  const [client, peer] = await connect();
  const big = client.call('test.v1.Test', 'Big', hex(''));
  await nextRequest(peer);
  const length = 5 * 1024 * 1024;
  peer.send(Buffer.concat([hex(`${length.toString(16).padStart(8, '0')} 00000001 02 00`), Buffer.alloc(length)]));
  await assert.rejects(big, { code: Code.ResourceExhausted });
  const next = client.call('test.v1.Test', 'Small', hex(''));
  await nextRequest(peer);
  respond(peer, 3, { payload: hex('33') });
  assert.deepEqual(Buffer.from(await next), hex('33'));
});

test('Client ignores Data frames and responses for streams it is not waiting on', async () => {
  const [client, peer] = await connect();
  const call = client.call('test.v1.Test', 'Echo', hex(''));
  await nextRequest(peer);
  peer.send(encodeFrame(1, MessageType.Data, 0x1, hex('0a00')));
  respond(peer, 7, { payload: hex('07') });
  respond(peer, 1, { payload: hex('01') });
  assert.deepEqual(Buffer.from(await call), hex('01'));
});

test('Client.connect() accepts a unix:// address and rejects a missing socket', async () => {
  const [client] = await connect(`unix://${dir.socket}`);
  assert.equal(client.closed, false);
  await assert.rejects(Client.connect(`${dir.socket}.missing`), { code: 'ENOENT' });
});
