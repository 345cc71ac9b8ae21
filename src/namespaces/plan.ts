// Which namespaces an init process creates and which it joins, from
// config.json's linux.namespaces.
//
// Order matters and follows runc: namespaces given by path are joined first
// (the mount namespace last, since joining it changes what paths resolve
// to), then the remaining ones are created with a single unshare(2). A new
// pid namespace cannot be entered by the calling process itself: the launcher
// makes the init process PID 1 of its namespace when it spawns it.
import {
  CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWTIME, CLONE_NEWUSER, CLONE_NEWUTS,
} from '../linux/constants';
import type { Namespace } from '../oci/spec';

export const NAMESPACE_FLAGS: Record<Namespace['type'], number> = {
  pid: CLONE_NEWPID,
  network: CLONE_NEWNET,
  mount: CLONE_NEWNS,
  ipc: CLONE_NEWIPC,
  uts: CLONE_NEWUTS,
  user: CLONE_NEWUSER,
  cgroup: CLONE_NEWCGROUP,
  time: CLONE_NEWTIME,
};

/** /proc/<pid>/ns/<name> file names per namespace type. */
export const NAMESPACE_FILES: Record<Namespace['type'], string> = {
  pid: 'pid', network: 'net', mount: 'mnt', ipc: 'ipc', uts: 'uts', user: 'user', cgroup: 'cgroup', time: 'time',
};

const JOIN_ORDER: Namespace['type'][] = ['user', 'ipc', 'uts', 'network', 'pid', 'cgroup', 'time', 'mount'];

export interface NamespacePlan {
  /** Namespaces to join, in order. */
  join: { type: Namespace['type']; flag: number; path: string }[];
  /** unshare(2) flags for the namespaces to create, excluding pid. */
  unshareFlags: number;
  /** True when the init process must be PID 1 of a new pid namespace. */
  newPid: boolean;
  /** Namespace types the container gets (new or joined), for state.json. */
  types: Namespace['type'][];
}

export function planNamespaces(namespaces: Namespace[] = []): NamespacePlan {
  const seen = new Set<string>();
  for (const ns of namespaces) {
    if (!(ns.type in NAMESPACE_FLAGS)) throw new Error(`linux.namespaces: unknown namespace type "${ns.type}"`);
    if (seen.has(ns.type)) throw new Error(`linux.namespaces: duplicate namespace type "${ns.type}"`);
    seen.add(ns.type);
  }
  const joined = namespaces.filter((ns) => ns.path);
  const join = JOIN_ORDER.flatMap((type) => joined.filter((ns) => ns.type === type))
    .map((ns) => ({ type: ns.type, flag: NAMESPACE_FLAGS[ns.type], path: ns.path! }));
  let unshareFlags = 0;
  for (const ns of namespaces) if (!ns.path && ns.type !== 'pid') unshareFlags |= NAMESPACE_FLAGS[ns.type];
  return {
    join,
    unshareFlags,
    newPid: namespaces.some((ns) => ns.type === 'pid' && !ns.path),
    types: namespaces.map((ns) => ns.type),
  };
}
