// Host name and process credentials, set by the init process just before it
// execs the user's program.
import { c } from './libc';
import { check } from './errors';
import { SYS_capset, PR_CAPBSET_DROP } from './constants';
import { prctl } from './process';

export function sethostname(name: string): void {
  check(c.sethostname(name, Buffer.byteLength(name)), 'sethostname', name);
}

export function setdomainname(name: string): void {
  check(c.setdomainname(name, Buffer.byteLength(name)), 'setdomainname', name);
}

export function umask(mask: number): number {
  return c.umask(mask);
}

export function setgroups(gids: number[]): void {
  check(c.setgroups(gids.length, gids.length ? gids : null), 'setgroups');
}

export function setresgid(gid: number): void {
  check(c.setresgid(gid, gid, gid), 'setresgid');
}

export function setresuid(uid: number): void {
  check(c.setresuid(uid, uid, uid), 'setresuid');
}

export function dropBoundingCap(cap: number): void {
  prctl(PR_CAPBSET_DROP, cap);
}

/**
 * capset(2) with _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set.
 * Each argument is a bit mask over capability numbers 0..63.
 */
export function capset(effective: bigint, permitted: bigint, inheritable: bigint): void {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x20080522, 0);
  const data = Buffer.alloc(24);
  const sets = [effective, permitted, inheritable];
  for (let word = 0; word < 2; word++) {
    sets.forEach((set, i) => data.writeUInt32LE(Number((set >> BigInt(32 * word)) & 0xffffffffn), word * 12 + i * 4));
  }
  check(Number(c.syscall(SYS_capset, 'void *', header, 'void *', data)), 'capset');
}

export function setrlimit(resource: number, soft: bigint, hard: bigint): void {
  check(c.setrlimit(resource, [soft, hard]), 'setrlimit', String(resource));
}

export const PR_SET_KEEPCAPS = 8;
export const PR_CAP_AMBIENT = 47;
export const PR_CAP_AMBIENT_RAISE = 2;

export function raiseAmbientCap(cap: number): void {
  check(c.prctl(PR_CAP_AMBIENT, 'unsigned long', PR_CAP_AMBIENT_RAISE, 'unsigned long', cap, 'unsigned long', 0, 'unsigned long', 0), 'prctl(PR_CAP_AMBIENT_RAISE)');
}
