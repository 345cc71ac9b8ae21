import { test } from 'node:test';
import assert = require('node:assert/strict');
import { mkdtempSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secureJoin } from '../../../src/rootfs/secure-join';

function withRoot(fn: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'tsshim-sj-'));
  try {
    fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('secureJoin() keeps ".." from climbing out of the root', () => {
  withRoot((root) => assert.equal(secureJoin(root, '/../../etc/passwd'), join(root, 'etc/passwd')));
});

test('secureJoin() re-roots an absolute symlink that points at the host', () => {
  withRoot((root) => {
    // The image says /etc is /usr/etc; on the host that path must not be used.
    symlinkSync('/usr/etc', join(root, 'etc'));
    assert.equal(secureJoin(root, '/etc/hosts'), join(root, 'usr/etc/hosts'));
  });
});

test('secureJoin() follows relative symlinks inside the root', () => {
  withRoot((root) => {
    mkdirSync(join(root, 'real'));
    symlinkSync('../../../real', join(root, 'link'));
    assert.equal(secureJoin(root, '/link/x'), join(root, 'real/x'));
  });
});

test('secureJoin() gives up on symlink loops', () => {
  withRoot((root) => {
    symlinkSync('/b', join(root, 'a'));
    symlinkSync('/a', join(root, 'b'));
    assert.throws(() => secureJoin(root, '/a'), /too many symlinks/);
  });
});
