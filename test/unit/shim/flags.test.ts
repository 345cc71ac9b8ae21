import { test } from 'node:test';
import assert = require('node:assert/strict');
import { parseFlags } from '../../../src/shim/flags';

test('parseFlags() reads containerd 1.6 start arguments the way Go flag does', () => {
  const f = parseFlags(['-namespace', 'default', '-address', '/run/containerd/containerd.sock', '-publish-binary',
    '/usr/bin/containerd', '-id', 'c1', '-debug', 'start']);
  assert.equal(f.values.namespace, 'default');
  assert.equal(f.values.id, 'c1');
  assert.ok(f.bools.has('debug'));
  assert.equal(f.action, 'start');
});

test('parseFlags() accepts -name=value, --name and stops at the action', () => {
  const f = parseFlags(['--namespace=k8s.io', '-bundle=/b', 'delete', '-id', 'x']);
  assert.equal(f.values.namespace, 'k8s.io');
  assert.equal(f.values.bundle, '/b');
  assert.equal(f.action, 'delete');
  assert.deepEqual(f.rest, ['-id', 'x']);
});

test('parseFlags() reports a flag without its value', () => {
  assert.throws(() => parseFlags(['-id']), /needs an argument/);
});
