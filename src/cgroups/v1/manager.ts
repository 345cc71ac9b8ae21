// cgroup v1: the container gets a directory in every hierarchy (each
// controller, named hierarchies such as name=systemd, and on a hybrid host
// the cgroup2 tree too, as runc does).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Hierarchy } from '../mode';
import type { CgroupManager } from '../manager';
import { parsePids, removeCgroupDir } from '../remove';
import { initCpuset } from './cpuset';

export class V1Manager implements CgroupManager {
  readonly paths: Record<string, string>;
  /** What the container's /sys/fs/cgroup shows: one directory per hierarchy. */
  readonly mountSources: { name: string; hostPath: string }[];

  constructor(hierarchies: Hierarchy[], path: string) {
    this.paths = {};
    this.mountSources = [];
    for (const h of hierarchies) {
      this.paths[h.version === 2 ? '' : h.controllers.join(',')] = posix.join(h.mountPoint, path);
      this.mountSources.push({ name: posix.basename(h.mountPoint), hostPath: posix.join(h.mountPoint, path) });
    }
  }

  static fromPaths(paths: Record<string, string>): V1Manager {
    const m = Object.create(V1Manager.prototype) as V1Manager;
    Object.assign(m, { paths: { ...paths }, mountSources: [] });
    return m;
  }

  create(): void {
    for (const [key, dir] of Object.entries(this.paths)) {
      if (key.split(',').includes('cpuset')) initCpuset(dir);
      else mkdirSync(dir, { recursive: true, mode: 0o755 });
    }
  }

  addProcess(pid: number): void {
    for (const dir of Object.values(this.paths)) writeFileSync(posix.join(dir, 'cgroup.procs'), String(pid));
  }

  pids(): number[] {
    const dir = this.paths['freezer'] ?? this.paths['pids'] ?? Object.values(this.paths)[0];
    try {
      return parsePids(readFileSync(posix.join(dir, 'cgroup.procs'), 'utf8'));
    } catch {
      return [];
    }
  }

  async destroy(): Promise<void> {
    await Promise.all(Object.values(this.paths).filter((d) => existsSync(d)).map((d) => removeCgroupDir(d)));
  }
}
