import { test } from 'node:test';
import assert = require('node:assert/strict');
import { validateSpec, SpecError } from '../../../src/oci/load';

const good = () => ({
  ociVersion: '1.1.0',
  root: { path: 'rootfs' },
  process: { args: ['sh'], cwd: '/', user: { uid: 0, gid: 0 }, env: ['PATH=/bin'] },
  linux: { namespaces: [{ type: 'pid' }] },
});

test('validateSpec() accepts a minimal config.json', () => {
  assert.equal(validateSpec(good()).process?.args?.[0], 'sh');
});

test('validateSpec() names the field that is wrong', () => {
  const cases: [(s: any) => void, RegExp][] = [
    [(s) => delete s.root, /root\.path/],
    [(s) => (s.process.args = []), /process\.args/],
    [(s) => (s.process.cwd = 'relative'), /process\.cwd/],
    [(s) => delete s.process.user, /process\.user/],
    [(s) => (s.process.env = 'PATH=/bin'), /process\.env/],
    [(s) => (s.mounts = [{ destination: 'tmp' }]), /mount destination/],
  ];
  for (const [mutate, message] of cases) {
    const s = good();
    mutate(s);
    assert.throws(() => validateSpec(s), (err: unknown) => err instanceof SpecError && message.test((err as Error).message));
  }
});

test('validateSpec() refuses what tsshim does not implement instead of ignoring it', () => {
  const cases: [(s: any) => void, RegExp][] = [
    [(s) => s.linux.namespaces.push({ type: 'user' }), /user namespaces/],
    [(s) => (s.process.apparmorProfile = 'x'), /apparmorProfile/],
    [(s) => (s.linux.seccomp = { defaultAction: 'SCMP_ACT_ALLOW' }), /seccomp/],
    [(s) => (s.hooks = { prestart: [{ path: '/bin/true' }] }), /hooks/],
    [(s) => (s.process.terminal = true), /terminal/],
  ];
  for (const [mutate, message] of cases) {
    const s = good();
    mutate(s);
    assert.throws(() => validateSpec(s), message);
  }
});

test('validateSpec() rejects a value that is not an object', () => {
  assert.throws(() => validateSpec([]), SpecError);
  assert.throws(() => validateSpec(null), SpecError);
});
