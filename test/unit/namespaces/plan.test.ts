import { test } from 'node:test';
import assert = require('node:assert/strict');
import { planNamespaces } from '../../../src/namespaces/plan';
import { CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWUTS } from '../../../src/linux/constants';

test('planNamespaces() unshares new namespaces in one call and leaves pid to the launcher', () => {
  const plan = planNamespaces([{ type: 'pid' }, { type: 'mount' }, { type: 'uts' }, { type: 'ipc' }, { type: 'network' }]);
  assert.equal(plan.unshareFlags, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET);
  assert.equal(plan.newPid, true);
  assert.deepEqual(plan.join, []);
});

test('planNamespaces() joins namespaces given by path, the mount namespace last', () => {
  const plan = planNamespaces([
    { type: 'mount', path: '/proc/9/ns/mnt' },
    { type: 'network', path: '/proc/9/ns/net' },
    { type: 'pid', path: '/proc/9/ns/pid' },
    { type: 'uts' },
  ]);
  assert.deepEqual(plan.join.map((j) => j.type), ['network', 'pid', 'mount']);
  assert.equal(plan.newPid, false);
  assert.equal(plan.unshareFlags, CLONE_NEWUTS);
});

test('planNamespaces() refuses duplicate and unknown namespace types', () => {
  assert.throws(() => planNamespaces([{ type: 'pid' }, { type: 'pid' }]), /duplicate/);
  assert.throws(() => planNamespaces([{ type: 'bogus' as 'pid' }]), /unknown/);
});
