import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Code, TtrpcError, fromStatus, isTtrpcError, statusOf } from '../../../src/ttrpc/codes';

test('Code uses the gRPC code numbers containerd classifies errors by', () => {
  assert.equal(Code.OK, 0);
  assert.equal(Code.InvalidArgument, 3);
  assert.equal(Code.NotFound, 5);
  assert.equal(Code.ResourceExhausted, 8);
  assert.equal(Code.FailedPrecondition, 9);
  assert.equal(Code.Unimplemented, 12);
  assert.equal(Code.Unavailable, 14);
  assert.equal(Code.Unauthenticated, 16);
});

test('statusOf() keeps the code and message of a TtrpcError', () => {
  assert.deepEqual(statusOf(new TtrpcError(Code.NotFound, 'container c1 not found')), {
    code: 5,
    message: 'container c1 not found',
  });
});

test('statusOf() reports any other thrown value as Unknown with its message', () => {
  assert.deepEqual(statusOf(new RangeError('boom')), { code: Code.Unknown, message: 'boom' });
  assert.deepEqual(statusOf('plain string'), { code: Code.Unknown, message: 'plain string' });
});

test('fromStatus() builds a TtrpcError whose message is exactly the status message', () => {
  const err = fromStatus({ code: Code.AlreadyExists, message: 'id c1 exists' });
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'TtrpcError');
  assert.equal(err.code, Code.AlreadyExists);
  assert.equal(err.message, 'id c1 exists');
});

test('isTtrpcError() matches by class and, when given, by code', () => {
  const err = new TtrpcError(Code.NotFound, 'x');
  assert.equal(isTtrpcError(err), true);
  assert.equal(isTtrpcError(err, Code.NotFound), true);
  assert.equal(isTtrpcError(err, Code.Unknown), false);
  assert.equal(isTtrpcError(new Error('x')), false);
});
