import { afterEach, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import { ttrpc } from '../../../src/gen/proto';
import { Client } from '../../../src/ttrpc/client';
import { Code, TtrpcError } from '../../../src/ttrpc/codes';
import { encodeFrame, MessageType, MESSAGE_LENGTH_MAX } from '../../../src/ttrpc/frame';
import { Server, type CallContext } from '../../../src/ttrpc/server';
import {
  GOLDEN_NOT_FOUND_RESPONSE_FRAME,
  GOLDEN_STATE_REQUEST_FRAME,
  GOLDEN_STATE_REQUEST_PAYLOAD,
  GOLDEN_STATE_RESPONSE_FRAME,
  GOLDEN_STATE_RESPONSE_PAYLOAD,
  hex,
} from './golden';
import { RawPeer, requestFrame, socketDir, type SocketDir } from './harness';

const TASK = 'containerd.task.v2.Task';
const TEST = 'test.v1.Test';

let dir: SocketDir;
let server: Server;
let contexts: CallContext[];
let payloads: Buffer[];
let release: (() => void) | undefined;
let aborted: Promise<unknown>;
let peers: RawPeer[];
let clients: Client[];

beforeEach(async () => {
  dir = await socketDir();
  contexts = [];
  payloads = [];
  release = undefined;
  peers = [];
  clients = [];
  let signalAborted: (reason: unknown) => void = () => {};
  aborted = new Promise((resolve) => (signalAborted = resolve));
  server = new Server();
  server.register(TASK, {
    State: (payload, ctx) => {
      payloads.push(Buffer.from(payload));
      contexts.push(ctx);
      return GOLDEN_STATE_RESPONSE_PAYLOAD;
    },
  });
  server.register(TEST, {
    Echo: async (payload, ctx) => {
      contexts.push(ctx);
      return payload;
    },
    NotFound: () => {
      throw new TtrpcError(Code.NotFound, 'not found');
    },
    Boom: () => {
      throw new RangeError('boom');
    },
    Rejects: async () => Promise.reject(new Error('async boom')),
    Huge: () => new Uint8Array(MESSAGE_LENGTH_MAX + 1),
    // Answers only after Release has been called: lets tests order responses.
    Gate: () => new Promise<Uint8Array>((resolve) => (release = () => resolve(hex('01')))),
    // Opens the gate only after its own answer has gone out.
    Release: () => {
      setTimeout(() => release?.(), 20);
      return hex('02');
    },
    // Never answers; reports why its signal was aborted.
    Hang: (_payload, ctx) =>
      new Promise<Uint8Array>(() => {
        contexts.push(ctx);
        ctx.signal.addEventListener('abort', () => signalAborted(ctx.signal.reason));
      }),
  });
  await server.listen(dir.socket);
});

afterEach(async () => {
  await Promise.all([...peers.map((peer) => peer.destroy()), ...clients.map((client) => client.close())]);
  await server.close();
  await dir.remove();
});

async function peer(): Promise<RawPeer> {
  const p = await RawPeer.connect(dir.socket);
  peers.push(p);
  return p;
}

async function client(): Promise<Client> {
  const c = await Client.connect(dir.socket);
  clients.push(c);
  return c;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(condition(), 'condition not reached within 1 s');
}

test('Server answers the golden State request with the golden response byte for byte', async () => {
  const p = await peer();
  p.send(GOLDEN_STATE_REQUEST_FRAME);
  await p.nextFrame();
  assert.deepEqual(p.received(), GOLDEN_STATE_RESPONSE_FRAME);
  assert.deepEqual(payloads, [GOLDEN_STATE_REQUEST_PAYLOAD]);
});

test('Server gives the handler service, method, namespace, deadline and stream id', async () => {
  const p = await peer();
  p.send(GOLDEN_STATE_REQUEST_FRAME);
  await p.nextFrame();
  const [ctx] = contexts;
  assert.equal(ctx.service, TASK);
  assert.equal(ctx.method, 'State');
  assert.equal(ctx.namespace, 'default');
  assert.equal(ctx.timeoutNano, 2_000_000_000);
  assert.equal(ctx.streamId, 1);
  assert.equal(ctx.signal.aborted, false);
});

test('Server lower-cases metadata keys and keeps every value of a repeated key', async () => {
  const c = await client();
  await c.call(TEST, 'Echo', hex('00'), { metadata: { 'X-Trace': ['a', 'b'], 'Containerd-Namespace-Ttrpc': 'k8s.io' } });
  const [ctx] = contexts;
  assert.deepEqual([...ctx.metadata], [['x-trace', ['a', 'b']], ['containerd-namespace-ttrpc', ['k8s.io']]]);
  assert.equal(ctx.namespace, 'k8s.io');
  assert.equal(ctx.timeoutNano, 0);
});

test('Server sends a handler TtrpcError as its code and message', async () => {
  const p = await peer();
  p.send(requestFrame(3, TEST, 'NotFound'));
  await p.nextFrame();
  assert.deepEqual(p.received(), GOLDEN_NOT_FOUND_RESPONSE_FRAME);
});

test('Server reports any other thrown or rejected error as Unknown with its message', async () => {
  const p = await peer();
  p.send(requestFrame(1, TEST, 'Boom'));
  p.send(requestFrame(3, TEST, 'Rejects'));
  const answers = [await p.nextAnswer(), await p.nextAnswer()].sort((a, b) => a.streamId - b.streamId);
  assert.deepEqual(
    answers.map((a) => [a.streamId, a.code, a.message]),
    [
      [1, Code.Unknown, 'boom'],
      [3, Code.Unknown, 'async boom'],
    ],
  );
});

test('Server answers an unknown service and an unknown method with Unimplemented', async () => {
  const p = await peer();
  p.send(requestFrame(1, 'no.such.Service', 'State'));
  assert.deepEqual(await p.nextAnswer(), { streamId: 1, code: Code.Unimplemented, message: 'service no.such.Service', payload: hex('') });
  p.send(requestFrame(3, TASK, 'Checkpoint'));
  assert.deepEqual(await p.nextAnswer(), { streamId: 3, code: Code.Unimplemented, message: 'method Checkpoint', payload: hex('') });
});

test('Server rejects an even stream id with InvalidArgument and keeps the connection', async () => {
  const p = await peer();
  p.send(requestFrame(2, TEST, 'Echo', hex('aa')));
  const rejected = await p.nextAnswer();
  assert.deepEqual([rejected.streamId, rejected.code, rejected.message], [
    2,
    Code.InvalidArgument,
    'StreamID must be odd for client initiated streams',
  ]);
  p.send(requestFrame(1, TEST, 'Echo', hex('aa')));
  assert.deepEqual(await p.nextAnswer(), { streamId: 1, code: 0, message: '', payload: hex('aa') });
  assert.equal(contexts.length, 1);
});

test('Server rejects a reused or decreasing stream id with InvalidArgument', async () => {
  const p = await peer();
  p.send(requestFrame(5, TEST, 'Echo'));
  await p.nextAnswer();
  for (const id of [5, 3]) {
    p.send(requestFrame(id, TEST, 'Echo'));
    const a = await p.nextAnswer();
    assert.deepEqual([a.streamId, a.code, a.message], [id, Code.InvalidArgument, 'StreamID cannot be re-used and must increment']);
  }
});

test('Server answers an undecodable Request envelope with InvalidArgument and keeps the connection', async () => {
  const p = await peer();
  p.send(encodeFrame(1, MessageType.Request, 0, hex('0a ff'))); // string field longer than the message
  const a = await p.nextAnswer();
  assert.equal(a.code, Code.InvalidArgument);
  assert.match(a.message, /^unmarshal request error: /);
  p.send(requestFrame(3, TEST, 'Echo', hex('bb')));
  assert.deepEqual((await p.nextAnswer()).payload, hex('bb'));
});

test('Server ignores Data and Response frames and answers the next request', async () => {
  const p = await peer();
  p.send(encodeFrame(1, MessageType.Data, 0x1, hex('0a00')));
  p.send(encodeFrame(2, MessageType.Response, 0, hex('')));
  p.send(encodeFrame(3, 0x7f, 0, hex('')));
  p.send(requestFrame(5, TEST, 'Echo', hex('cc')));
  assert.deepEqual(await p.nextAnswer(), { streamId: 5, code: 0, message: '', payload: hex('cc') });
});

test('Server answers a 5 MiB frame with ResourceExhausted on its stream and keeps the connection', async () => {
  const p = await peer();
  const length = 5 * 1024 * 1024;
  const header = hex(`${length.toString(16).padStart(8, '0')} 00000001 01 00`);
  p.send(Buffer.concat([header, Buffer.alloc(length, 0x41)]));
  const a = await p.nextAnswer();
  assert.deepEqual([a.streamId, a.code, a.message], [
    1,
    Code.ResourceExhausted,
    'message length 5242880 exceed maximum message size of 4194304',
  ]);
  p.send(requestFrame(3, TEST, 'Echo', hex('dd')));
  assert.deepEqual(await p.nextAnswer(), { streamId: 3, code: 0, message: '', payload: hex('dd') });
});

test('Server replaces a response payload over 4 MiB with ResourceExhausted', async () => {
  const c = await client();
  await assert.rejects(c.call(TEST, 'Huge', hex('')), {
    code: Code.ResourceExhausted,
    message: /^message length \d+ exceed maximum message size of 4194304$/,
  });
});

test('Server processes calls concurrently and answers them in completion order', async () => {
  const p = await peer();
  p.send(requestFrame(1, TEST, 'Gate'));
  p.send(requestFrame(3, TEST, 'Release'));
  const first = await p.nextAnswer();
  const second = await p.nextAnswer();
  assert.deepEqual([first.streamId, first.payload], [3, hex('02')]);
  assert.deepEqual([second.streamId, second.payload], [1, hex('01')]);
});

test('Server closes a connection whose header has a non-zero reserved byte and keeps serving others', async () => {
  const good = await peer();
  const bad = await peer();
  bad.send(hex('ff000000 00000001 01 00'));
  await bad.closed;
  good.send(requestFrame(1, TEST, 'Echo', hex('ee')));
  assert.deepEqual((await good.nextAnswer()).payload, hex('ee'));
});

test('Server survives random bytes and still answers a new client', async () => {
  for (let i = 0; i < 20; i++) {
    const p = await peer();
    p.send(crypto.randomBytes(1 + crypto.randomInt(65536)));
    p.socket.end();
  }
  const c = await client();
  assert.deepEqual(Buffer.from(await c.call(TEST, 'Echo', hex('ff'))), hex('ff'));
});

test('Server drops the response of a client that disconnects mid-call and aborts its signal', async () => {
  const p = await peer();
  p.send(requestFrame(1, TEST, 'Hang'));
  p.send(requestFrame(3, TEST, 'Gate'));
  await until(() => release !== undefined && contexts.length === 1);
  await p.destroy();
  const reason = await aborted;
  assert.equal((reason as TtrpcError).code, Code.Canceled);
  release?.(); // Gate now answers on a closed socket
  await until(() => server.connections === 0);
  const c = await client();
  assert.deepEqual(Buffer.from(await c.call(TEST, 'Echo', hex('01'))), hex('01'));
});

test('Server aborts the signal of a call whose timeout_nano has passed', async () => {
  const p = await peer();
  const request = ttrpc.Request.encode({ service: TEST, method: 'Hang', timeoutNano: 20_000_000 }).finish();
  p.send(encodeFrame(1, MessageType.Request, 0, request));
  const reason = await aborted;
  assert.equal((reason as TtrpcError).code, Code.DeadlineExceeded);
});

test('Server counts its open connections', async () => {
  assert.equal(server.connections, 0);
  const a = await client();
  const b = await client();
  await Promise.all([a.call(TEST, 'Echo', hex('')), b.call(TEST, 'Echo', hex(''))]);
  assert.equal(server.connections, 2);
  await a.close();
  await until(() => server.connections === 1);
});

test('Server.close() ends every connection, even one with a call in flight, and resolves when all are closed', async () => {
  const c = await client();
  const closed = new Promise((resolve) => c.once('close', resolve));
  const pending = assert.rejects(c.call(TEST, 'Hang', hex('')), { code: Code.Unavailable });
  await until(() => contexts.length === 1);
  await server.close();
  assert.equal(server.connections, 0);
  await closed;
  await pending;
  await assert.rejects(Client.connect(dir.socket));
});

test('Server.shutdown() lets a call in flight answer before the connection ends', async () => {
  const c = await client();
  const gate = c.call(TEST, 'Gate', hex(''));
  await until(() => release !== undefined);
  const done = server.shutdown();
  release?.();
  assert.deepEqual(Buffer.from(await gate), hex('01'));
  await done;
  assert.equal(server.connections, 0);
});

test('Server.listen() accepts a unix:// address and register() refuses a duplicate service', async () => {
  const other = new Server();
  const address = `unix://${dir.socket}.2`;
  await other.listen(address);
  const c = await Client.connect(address);
  await assert.rejects(c.call(TEST, 'Echo', hex('')), { code: Code.Unimplemented, message: `service ${TEST}` });
  await c.close();
  await other.close();
  assert.throws(() => server.register(TEST, {}), /duplicate service/);
});
