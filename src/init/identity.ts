// Drops the init process to the user and capabilities config.json asks for
// (runc's finalizeNamespace): bounding set first, then the ids with
// PR_SET_KEEPCAPS so setuid does not wipe the permitted set, then capset.
import { readFileSync } from 'node:fs';
import type { Process } from '../oci/spec';
import {
  capset, dropBoundingCap, raiseAmbientCap, setgroups, setresgid, setresuid, PR_SET_KEEPCAPS,
} from '../linux/identity';
import { prctl } from '../linux/process';
import { capMask, CAP_NUMBERS } from './capabilities';

export function applyIdentity(proc: Process): void {
  const caps = proc.capabilities;
  const lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
  if (caps) {
    const bounding = capMask(caps.bounding, lastCap);
    for (let cap = 0; cap <= lastCap; cap++) if (!(bounding & (1n << BigInt(cap)))) dropBoundingCap(cap);
  }
  prctl(PR_SET_KEEPCAPS, 1);
  setgroups(proc.user.additionalGids ?? []);
  setresgid(proc.user.gid);
  setresuid(proc.user.uid);
  prctl(PR_SET_KEEPCAPS, 0);
  if (caps) {
    capset(capMask(caps.effective, lastCap), capMask(caps.permitted, lastCap), capMask(caps.inheritable, lastCap));
    for (const name of caps.ambient ?? []) {
      const n = CAP_NUMBERS[name];
      // As runc: an ambient capability needs to be permitted and inheritable
      // too; one that is not stays unraised instead of failing the create.
      if (n !== undefined && n <= lastCap) tryRaise(n);
    }
  }
}

function tryRaise(cap: number): void {
  try {
    raiseAmbientCap(cap);
  } catch {
    // see above
  }
}
