// cgroup v2 (unified): one directory; the container's processes join it
// through cgroup.procs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Hierarchy } from '../mode';
import type { CgroupManager } from '../manager';
import { parsePids, removeCgroupDir } from '../remove';

export class V2Manager implements CgroupManager {
  readonly paths: Record<string, string>;
  readonly mountSources: { name: string; hostPath: string }[] = [];

  constructor(h: Hierarchy, path: string) {
    this.paths = { '': posix.join(h.mountPoint, path) };
  }

  static fromDir(dir: string): V2Manager {
    return new V2Manager({ mountPoint: dir, root: '/', controllers: [], version: 2 }, '/');
  }

  private get dir(): string {
    return this.paths[''];
  }

  create(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o755 });
  }

  addProcess(pid: number): void {
    writeFileSync(posix.join(this.dir, 'cgroup.procs'), String(pid));
  }

  pids(): number[] {
    try {
      return parsePids(readFileSync(posix.join(this.dir, 'cgroup.procs'), 'utf8'));
    } catch {
      return [];
    }
  }

  async destroy(): Promise<void> {
    if (existsSync(this.dir)) await removeCgroupDir(this.dir);
  }
}
