import { test } from 'node:test';
import assert = require('node:assert/strict');
import { parseMountOptions, rootPropagation } from '../../../src/rootfs/mount-options';
import * as k from '../../../src/linux/constants';

test('parseMountOptions() turns flag words into mount flags and keeps the rest as data', () => {
  const p = parseMountOptions(['nosuid', 'strictatime', 'mode=755', 'size=65536k']);
  assert.equal(p.flags, k.MS_NOSUID | k.MS_STRICTATIME);
  assert.equal(p.data, 'mode=755,size=65536k');
});

test('parseMountOptions() lets a later word clear an earlier flag', () => {
  assert.equal(parseMountOptions(['ro', 'rw']).flags, 0);
  assert.equal(parseMountOptions(['rbind', 'ro']).flags, k.MS_BIND | k.MS_REC | k.MS_RDONLY);
});

test('parseMountOptions() separates propagation flags', () => {
  assert.deepEqual(parseMountOptions(['rprivate', 'shared']).propagation, [k.MS_PRIVATE | k.MS_REC, k.MS_SHARED]);
});

test('parseMountOptions() refuses id-mapped mounts clearly', () => {
  assert.throws(() => parseMountOptions(['idmap']), /id-mapped/);
});

test('rootPropagation() defaults to rslave and refuses unknown names', () => {
  assert.equal(rootPropagation(undefined), k.MS_SLAVE | k.MS_REC);
  assert.equal(rootPropagation('private'), k.MS_PRIVATE);
  assert.throws(() => rootPropagation('sideways'), /rootfsPropagation/);
});
