// Container status, derived from facts the way runc's refreshState does:
//   init gone, a zombie, or a different process with its pid -> stopped
//   cgroup frozen                                              -> paused
//   exec.fifo still present (start gate closed)                -> created
//   otherwise                                                  -> running
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readProcStat } from '../linux/procfs';
import { EXEC_FIFO, type ContainerState } from './state';

export type Status = 'created' | 'running' | 'pausing' | 'paused' | 'stopped';

export function deriveStatus(state: ContainerState, stateDir: string): Status {
  const stat = readProcStat(state.initPid);
  if (!stat || stat.state === 'Z' || stat.state === 'X' || stat.startTime !== state.initStartTime) return 'stopped';
  if (isFrozen(state)) return 'paused';
  if (existsSync(join(stateDir, EXEC_FIFO))) return 'created';
  return 'running';
}

function isFrozen(state: ContainerState): boolean {
  const freezer = state.cgroupPaths['freezer'];
  try {
    if (freezer) return readFileSync(join(freezer, 'freezer.state'), 'utf8').trim() === 'FROZEN';
    const unified = state.cgroupPaths[''];
    if (unified && Object.keys(state.cgroupPaths).length === 1) {
      return readFileSync(join(unified, 'cgroup.freeze'), 'utf8').trim() === '1';
    }
  } catch {
    // No freezer file: the cgroup is gone or never froze.
  }
  return false;
}

export type Operation = 'start' | 'kill' | 'delete' | 'pause' | 'resume' | 'exec';

/** The legal transitions: operation -> statuses it may be applied in. */
export const ALLOWED: Record<Operation, Status[]> = {
  start: ['created'],
  kill: ['created', 'running', 'paused'],
  delete: ['created', 'stopped'],
  pause: ['running'],
  resume: ['paused'],
  exec: ['created', 'running'],
};

export function can(op: Operation, status: Status): boolean {
  return ALLOWED[op].includes(status);
}
