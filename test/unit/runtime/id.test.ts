import { test } from 'node:test';
import assert = require('node:assert/strict');
import { validateId } from '../../../src/runtime/id';
import { RuntimeError } from '../../../src/runtime/errors';

test('validateId() accepts ids containerd and runc accept', () => {
  for (const id of ['a', 'my-container_1.2', 'A+b', 'x'.repeat(100)]) validateId(id);
});

test('validateId() refuses slashes, dot names, NUL, empty and overlong ids before anything is touched', () => {
  for (const id of ['', '.', '..', 'a/b', '../x', 'a\0b', 'sp ace', 'x'.repeat(1025)]) {
    assert.throws(() => validateId(id), (err: unknown) => err instanceof RuntimeError && err.kind === 'invalid-argument', id);
  }
});
