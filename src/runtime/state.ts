// state.json: the facts recorded about a container when it is created. The
// status is never stored; it is derived from these facts on every load.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface ContainerState {
  id: string;
  bundle: string;
  rootfs: string;
  /** Host pid of the init process (later: the user's program). */
  initPid: number;
  /** Its start time in clock ticks since boot, so a recycled pid is not mistaken for it. */
  initStartTime: number;
  created: string;
  /** Hierarchy key to cgroup directory. */
  cgroupPaths: Record<string, string>;
  /** Namespace type to /proc/<pid>/ns/<type>. */
  namespacePaths: Record<string, string>;
  annotations: Record<string, string>;
  /** Whether the init process has its own pid namespace (kill-all needed otherwise). */
  ownPidNamespace: boolean;
}

export const STATE_FILE = 'state.json';
export const EXEC_FIFO = 'exec.fifo';

/** Writes state.json atomically: a temp file, fsync, rename. */
export function writeState(dir: string, state: ContainerState): void {
  const tmp = join(dir, `.${STATE_FILE}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify(state));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, STATE_FILE));
}

export function readState(dir: string): ContainerState {
  return JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8')) as ContainerState;
}
