import { test } from 'node:test';
import assert = require('node:assert/strict');
import { resolveCgroupPath } from '../../../src/cgroups/manager';
import { detectMode, readHierarchies } from '../../../src/cgroups/mode';

test('resolveCgroupPath() keeps absolute paths, roots relative ones and names a default after tsshim', () => {
  assert.equal(resolveCgroupPath('/default/c1', 'c1'), '/default/c1');
  assert.equal(resolveCgroupPath('pods/c1', 'c1'), '/pods/c1');
  assert.equal(resolveCgroupPath(undefined, 'c1'), '/tsshim/c1');
});

test('resolveCgroupPath() refuses the systemd form and paths that escape', () => {
  assert.throws(() => resolveCgroupPath('system.slice:tsshim:c1', 'c1'), /systemd/);
  assert.throws(() => resolveCgroupPath('/', 'c1'), /not a valid/);
});

const HYBRID = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

test('readHierarchies() finds v1 controllers, named hierarchies and the cgroup2 tree of a hybrid host', () => {
  const h = readHierarchies(HYBRID);
  assert.deepEqual(h.map((x) => x.controllers.join(',')), ['cpu', 'memory', 'name=systemd', '']);
  assert.equal(detectMode(h), 'hybrid');
  assert.equal(detectMode(h.filter((x) => x.version === 2)), 'unified');
  assert.equal(detectMode(h.filter((x) => x.version === 1)), 'v1');
});
