import { test } from 'node:test';
import assert = require('node:assert/strict');
import { containerd } from '../../../src/gen/proto';
import { decodeRuntimeOptions } from '../../../src/task/runtime-options';
import { TtrpcError } from '../../../src/ttrpc/codes';

const runc = (o: containerd.runc.v1.IOptions) => ({
  type_url: 'containerd.runc.v1.Options',
  value: containerd.runc.v1.Options.encode(o).finish(),
});

test('decodeRuntimeOptions() accepts no options, runc options and CRI runtimeoptions', () => {
  assert.deepEqual(decodeRuntimeOptions(undefined), {});
  assert.deepEqual(decodeRuntimeOptions({ type_url: '', value: new Uint8Array() }), {});
  assert.deepEqual(decodeRuntimeOptions(runc({ root: '/run/x' })), { root: '/run/x' });
  assert.deepEqual(decodeRuntimeOptions({ type_url: 'runtimeoptions.v1.Options', value: new Uint8Array() }), {});
});

test('decodeRuntimeOptions() refuses options tsshim cannot honour, with InvalidArgument', () => {
  assert.throws(() => decodeRuntimeOptions(runc({ systemdCgroup: true })), (e: unknown) => e instanceof TtrpcError && e.code === 3 && /SystemdCgroup/.test(e.message));
  assert.throws(() => decodeRuntimeOptions({ type_url: 'example.com/Other', value: new Uint8Array() }), /not supported/);
  assert.throws(() => decodeRuntimeOptions({ type_url: 'containerd.runc.v1.Options', value: new Uint8Array([0xff, 0xff]) }), /runtime options/);
});
