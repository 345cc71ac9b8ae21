// One interface over the host's cgroup layout; v1/ and v2/ implement it side
// by side and createManager picks by what /proc/self/mountinfo shows.
import { posix } from 'node:path';
import { detectMode, readHierarchies, type Hierarchy } from './mode';
import { V1Manager } from './v1/manager';
import { V2Manager } from './v2/manager';

export interface CgroupManager {
  /** Hierarchy key ("" for cgroup2, else "cpu,cpuacct"-style) to directory. */
  readonly paths: Record<string, string>;
  /** Host directories the container's cgroup mount shows, by directory name. */
  readonly mountSources: { name: string; hostPath: string }[];
  /** Creates the directories (idempotent). */
  create(): void;
  /** Moves a process (all its threads) into the cgroup. */
  addProcess(pid: number): void;
  /** Pids currently in the cgroup. */
  pids(): number[];
  /** Removes the directories once their processes are gone. */
  destroy(): Promise<void>;
}

let cached: Hierarchy[] | null = null;

function hierarchies(): Hierarchy[] {
  cached ??= readHierarchies();
  return cached;
}

/** Normalizes linux.cgroupsPath; tsshim names its default parent after itself. */
export function resolveCgroupPath(cgroupsPath: string | undefined, id: string): string {
  if (!cgroupsPath) return `/tsshim/${id}`;
  if (/^[^/]*:[^/]*:[^/]*$/.test(cgroupsPath)) {
    throw new Error(`linux.cgroupsPath "${cgroupsPath}": the systemd slice:prefix:name form needs a systemd cgroup driver, which tsshim does not have`);
  }
  const normal = posix.normalize(posix.join('/', cgroupsPath));
  if (normal === '/' || normal.split('/').includes('..')) throw new Error(`linux.cgroupsPath "${cgroupsPath}" is not a valid cgroup path`);
  return normal;
}

export function createManager(path: string): CgroupManager {
  const all = hierarchies();
  if (detectMode(all) === 'unified') return new V2Manager(all.find((h) => h.version === 2)!, path);
  return new V1Manager(all, path);
}

/** Manager for cgroup directories recorded earlier (state.json's cgroup paths). */
export function managerFromPaths(paths: Record<string, string>): CgroupManager {
  if (Object.keys(paths).length === 1 && '' in paths) return V2Manager.fromDir(paths['']);
  return V1Manager.fromPaths(paths);
}
