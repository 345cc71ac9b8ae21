import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ttrpc } from '../../../src/gen/proto';
import { Code, isTtrpcError } from '../../../src/ttrpc/codes';
import {
  encodeFrame,
  FrameReader,
  MessageType,
  MESSAGE_LENGTH_MAX,
  type FrameEvent,
} from '../../../src/ttrpc/frame';
import {
  GOLDEN_NOT_FOUND_RESPONSE_FRAME,
  GOLDEN_STATE_REQUEST_ENVELOPE,
  GOLDEN_STATE_REQUEST_FRAME,
  GOLDEN_STATE_RESPONSE_FRAME,
  hex,
} from './golden';

const stateRequest = {
  service: 'containerd.task.v2.Task',
  method: 'State',
  payload: hex('0a026331'),
  timeoutNano: 2_000_000_000,
  metadata: [{ key: 'containerd-namespace-ttrpc', value: 'default' }],
};

test('Request.encode() produces the golden envelope of a State call', () => {
  assert.deepEqual(Buffer.from(ttrpc.Request.encode(stateRequest).finish()), GOLDEN_STATE_REQUEST_ENVELOPE);
});

test('encodeFrame() writes the golden State request frame byte for byte', () => {
  const envelope = ttrpc.Request.encode(stateRequest).finish();
  assert.deepEqual(encodeFrame(1, MessageType.Request, 0, envelope), GOLDEN_STATE_REQUEST_FRAME);
});

test('encodeFrame() writes the golden success and NotFound response frames byte for byte', () => {
  const ok = ttrpc.Response.encode({ status: { code: 0, message: '' }, payload: hex('0a026331182a') }).finish();
  assert.deepEqual(encodeFrame(1, MessageType.Response, 0, ok), GOLDEN_STATE_RESPONSE_FRAME);
  const notFound = ttrpc.Response.encode({ status: { code: Code.NotFound, message: 'not found' } }).finish();
  assert.deepEqual(encodeFrame(3, MessageType.Response, 0, notFound), GOLDEN_NOT_FOUND_RESPONSE_FRAME);
});

test('Request.decode() reads the golden envelope back into its fields', () => {
  const request = ttrpc.Request.decode(GOLDEN_STATE_REQUEST_ENVELOPE);
  assert.equal(request.service, 'containerd.task.v2.Task');
  assert.equal(request.method, 'State');
  assert.deepEqual(Buffer.from(request.payload), hex('0a026331'));
  assert.equal(Number(request.timeoutNano), 2_000_000_000);
  assert.deepEqual(
    request.metadata.map((kv) => [kv.key, kv.value]),
    [['containerd-namespace-ttrpc', 'default']],
  );
});

test('encodeFrame() puts length, stream id, type and flags big-endian in a 10-byte header', () => {
  const frame = encodeFrame(0x01020305, MessageType.Data, 0x05, hex('aabbcc'));
  assert.deepEqual(frame, hex('00000003 01020305 03 05 aabbcc'));
});

test('encodeFrame() accepts exactly 4 MiB and refuses one byte more with ResourceExhausted', () => {
  assert.equal(encodeFrame(1, MessageType.Request, 0, new Uint8Array(MESSAGE_LENGTH_MAX)).length, MESSAGE_LENGTH_MAX + 10);
  assert.throws(
    () => encodeFrame(1, MessageType.Request, 0, new Uint8Array(MESSAGE_LENGTH_MAX + 1)),
    (err) =>
      isTtrpcError(err, Code.ResourceExhausted) &&
      err.message === 'message length 4194305 exceed maximum message size of 4194304',
  );
});

function frames(events: FrameEvent[]): [number, number, number, string][] {
  return events.map((event) => {
    assert.equal(event.kind, 'frame');
    const { streamId, type, flags, data } = (event as Extract<FrameEvent, { kind: 'frame' }>).frame;
    return [streamId, type, flags, data.toString('hex')];
  });
}

const stream = Buffer.concat([
  GOLDEN_STATE_REQUEST_FRAME,
  encodeFrame(3, MessageType.Data, 0x05, new Uint8Array(0)), // zero-length frame
  GOLDEN_NOT_FOUND_RESPONSE_FRAME,
]);
const expected: [number, number, number, string][] = [
  [1, 1, 0, GOLDEN_STATE_REQUEST_ENVELOPE.toString('hex')],
  [3, 3, 5, ''],
  [3, 2, 0, GOLDEN_NOT_FOUND_RESPONSE_FRAME.subarray(10).toString('hex')],
];

test('FrameReader yields the same frames when the stream is cut at any one or two points', () => {
  for (let i = 0; i <= stream.length; i++) {
    for (let j = i; j <= stream.length; j++) {
      const reader = new FrameReader();
      const events = [
        ...reader.feed(stream.subarray(0, i)),
        ...reader.feed(stream.subarray(i, j)),
        ...reader.feed(stream.subarray(j)),
      ];
      assert.deepEqual(frames(events), expected, `cut at ${i} and ${j}`);
      assert.equal(reader.buffered, 0);
    }
  }
});

test('FrameReader yields the same frames when fed one byte at a time', () => {
  const reader = new FrameReader();
  const events: FrameEvent[] = [];
  for (let i = 0; i < stream.length; i++) events.push(...reader.feed(stream.subarray(i, i + 1)));
  assert.deepEqual(frames(events), expected);
});

test('FrameReader reads a 4 MiB frame that arrives in 64 KiB reads', () => {
  const data = Buffer.alloc(MESSAGE_LENGTH_MAX, 7);
  const frame = encodeFrame(9, MessageType.Request, 0, data);
  const reader = new FrameReader();
  const events: FrameEvent[] = [];
  for (let i = 0; i < frame.length; i += 65536) events.push(...reader.feed(frame.subarray(i, i + 65536)));
  assert.equal(events.length, 1);
  assert.equal(events[0].kind === 'frame' && events[0].frame.data.equals(data), true);
});

test('FrameReader reports an oversize frame by stream id and discards its body without buffering it', () => {
  const length = 5 * 1024 * 1024;
  const reader = new FrameReader();
  const header = hex(`${length.toString(16).padStart(8, '0')} 00000007 01 00`);
  assert.deepEqual(reader.feed(Buffer.concat([header, Buffer.alloc(100)])), [
    { kind: 'oversize', streamId: 7, type: MessageType.Request, length },
  ]);
  let left = length - 100;
  while (left > 70000) {
    assert.deepEqual(reader.feed(Buffer.alloc(65536)), []);
    assert.equal(reader.buffered, 0);
    left -= 65536;
  }
  // The end of the discarded body and the next frame share one read.
  const events = reader.feed(Buffer.concat([Buffer.alloc(left), GOLDEN_STATE_REQUEST_FRAME]));
  assert.deepEqual(frames(events), [expected[0]]);
});

test('FrameReader reports a header with a non-zero reserved byte as malformed and parses nothing after it', () => {
  const reader = new FrameReader();
  const events = reader.feed(Buffer.concat([hex('ff000000 00000001 01 00'), GOLDEN_STATE_REQUEST_FRAME]));
  assert.deepEqual(events, [{ kind: 'malformed', reason: 'reserved header byte is 0xff' }]);
  assert.deepEqual(reader.feed(GOLDEN_STATE_REQUEST_FRAME), []);
});
