// Facts about a process read from /proc/<pid>/stat (proc(5)).
import { readFileSync } from 'node:fs';

export interface ProcStat {
  /** Single-letter state: R, S, D, Z, T, ... */
  state: string;
  /** Start time in clock ticks since boot (field 22): with the pid, a process's identity. */
  startTime: number;
}

/** null when the process does not exist. */
export function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses; fields
  // after the last ')' are plain.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0], startTime: Number(rest[19]) };
}
