import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';

/**
 * A new v1 cpuset cgroup starts with empty cpuset.cpus and cpuset.mems, and
 * no task can join it until both are set: copy them down from the nearest
 * ancestor, creating each missing level on the way.
 */
export function initCpuset(dir: string): void {
  if (existsSync(dir)) return;
  const parent = posix.dirname(dir);
  if (!existsSync(parent)) initCpuset(parent);
  mkdirSync(dir, { mode: 0o755 });
  for (const file of ['cpuset.cpus', 'cpuset.mems']) {
    const own = readFileSync(posix.join(dir, file), 'utf8').trim();
    if (own === '') writeFileSync(posix.join(dir, file), readFileSync(posix.join(parent, file), 'utf8').trim());
  }
}
