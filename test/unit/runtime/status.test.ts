import { test } from 'node:test';
import assert = require('node:assert/strict');
import { ALLOWED, can, type Operation, type Status } from '../../../src/runtime/status';

const statuses: Status[] = ['created', 'running', 'pausing', 'paused', 'stopped'];
const expected: Record<Operation, Status[]> = {
  start: ['created'],
  kill: ['created', 'running', 'paused'],
  delete: ['created', 'stopped'],
  pause: ['running'],
  resume: ['paused'],
  exec: ['created', 'running'],
};

test('the transition table allows exactly the operations runc allows, status by status', () => {
  for (const op of Object.keys(expected) as Operation[]) {
    for (const s of statuses) {
      assert.equal(can(op, s), expected[op].includes(s), `${op} in ${s}`);
    }
  }
  assert.deepEqual(Object.keys(ALLOWED).sort(), Object.keys(expected).sort());
});
