// Which cgroup layout the host has, read from /proc/self/mountinfo:
//   v1      - one cgroup filesystem per controller (or named hierarchy)
//   unified - a single cgroup2 filesystem at /sys/fs/cgroup
//   hybrid  - v1 controllers plus a cgroup2 tree (usually /sys/fs/cgroup/unified)
import { readFileSync } from 'node:fs';

export type CgroupMode = 'v1' | 'unified' | 'hybrid';

export interface Hierarchy {
  /** Mount point, e.g. /sys/fs/cgroup/memory. */
  mountPoint: string;
  /** Path inside the hierarchy that is mounted there (usually "/"). */
  root: string;
  /** Controllers or name= entries of a v1 hierarchy; empty for cgroup2. */
  controllers: string[];
  version: 1 | 2;
}

export function readHierarchies(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): Hierarchy[] {
  const out: Hierarchy[] = [];
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const fields = line.slice(0, sep).split(' ');
    const [fstype, , superOpts] = line.slice(sep + 3).split(' ');
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    const root = unescape(fields[3]);
    const mountPoint = unescape(fields[4]);
    if (fstype === 'cgroup2') {
      out.push({ mountPoint, root, controllers: [], version: 2 });
      continue;
    }
    const known = ['cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'blkio', 'pids', 'net_cls', 'net_prio',
      'perf_event', 'hugetlb', 'rdma', 'misc'];
    const controllers = (superOpts ?? '').split(',').filter((o) => known.includes(o) || o.startsWith('name='));
    if (controllers.length) out.push({ mountPoint, root, controllers, version: 1 });
  }
  // A hierarchy mounted twice (e.g. bind mounts) counts once.
  const seen = new Set<string>();
  return out.filter((h) => {
    const key = `${h.version}:${h.controllers.join(',')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function detectMode(hierarchies: Hierarchy[]): CgroupMode {
  const v1 = hierarchies.some((h) => h.version === 1);
  const v2 = hierarchies.some((h) => h.version === 2);
  if (v1 && v2) return 'hybrid';
  return v1 ? 'v1' : 'unified';
}

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
