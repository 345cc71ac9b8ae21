// Capability names of config.json and their numbers (include/uapi/linux/capability.h).
const NAMES = [
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
];

export const CAP_NUMBERS: Record<string, number> = Object.fromEntries(NAMES.map((n, i) => [`CAP_${n}`, i]));

/** Bit mask of the named capabilities; names this kernel lacks are skipped, as runc does. */
export function capMask(names: string[] = [], lastCap: number): bigint {
  let mask = 0n;
  for (const name of names) {
    const n = CAP_NUMBERS[name];
    if (n === undefined) throw new Error(`process.capabilities: unknown capability "${name}"`);
    if (n <= lastCap) mask |= 1n << BigInt(n);
  }
  return mask;
}
