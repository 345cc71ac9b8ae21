// Runtime options containerd forwards from its configuration, both on the
// shim's `start` stdin and in CreateTaskRequest.options, as an Any:
//   containerd.runc.v1.Options   (ctr, and CRI runtimes configured runc-style)
//   runtimeoptions.v1.Options    (CRI with TypeUrl/ConfigPath)
// They are checked at Create: an unknown type or SystemdCgroup is refused.
// The runc fields that name runc's own files (BinaryName, Root, Criu*) or the
// shim's cgroup and IO owner (ShimCgroup, IoUid, IoGid) are decoded but not
// applied yet; tsshim keeps its state under /run/containerd/tsshim.
import { containerd } from '../gen/proto';
import { invalidArgument } from './errors';

export interface RuntimeOptions {
  /** runc's Root, as given (not applied yet, see above). */
  root?: string;
}

export function decodeRuntimeOptions(any: { type_url?: string | null; value?: Uint8Array | null } | null | undefined): RuntimeOptions {
  const url = any?.type_url ?? '';
  if (!url) return {};
  const name = url.replace(/^.*\//, '');
  if (name === 'containerd.runc.v1.Options') {
    let o: containerd.runc.v1.Options;
    try {
      o = containerd.runc.v1.Options.decode(any?.value ?? new Uint8Array());
    } catch (err) {
      throw invalidArgument(`runtime options ${name}: ${(err as Error).message}`);
    }
    if (o.systemdCgroup) throw invalidArgument('runtime options: SystemdCgroup is not supported by tsshim (no systemd cgroup driver)');
    return o.root ? { root: o.root } : {};
  }
  if (name === 'runtimeoptions.v1.Options') return {};
  throw invalidArgument(`runtime options of type ${url} are not supported by tsshim`);
}
