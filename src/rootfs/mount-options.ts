// Translates the option strings of an OCI or containerd mount into mount(2)
// flags, propagation flags and the remaining filesystem data string.
import * as k from '../linux/constants';

interface FlagOption {
  clear: boolean;
  flag: number;
}

const FLAGS: Record<string, FlagOption> = {
  async: { clear: true, flag: k.MS_SYNCHRONOUS },
  atime: { clear: true, flag: k.MS_NOATIME },
  bind: { clear: false, flag: k.MS_BIND },
  defaults: { clear: false, flag: 0 },
  dev: { clear: true, flag: k.MS_NODEV },
  diratime: { clear: true, flag: k.MS_NODIRATIME },
  dirsync: { clear: false, flag: k.MS_DIRSYNC },
  exec: { clear: true, flag: k.MS_NOEXEC },
  mand: { clear: false, flag: k.MS_MANDLOCK },
  noatime: { clear: false, flag: k.MS_NOATIME },
  nodev: { clear: false, flag: k.MS_NODEV },
  nodiratime: { clear: false, flag: k.MS_NODIRATIME },
  noexec: { clear: false, flag: k.MS_NOEXEC },
  nomand: { clear: true, flag: k.MS_MANDLOCK },
  norelatime: { clear: true, flag: k.MS_RELATIME },
  nostrictatime: { clear: true, flag: k.MS_STRICTATIME },
  nosuid: { clear: false, flag: k.MS_NOSUID },
  nosymfollow: { clear: false, flag: k.MS_NOSYMFOLLOW },
  rbind: { clear: false, flag: k.MS_BIND | k.MS_REC },
  relatime: { clear: false, flag: k.MS_RELATIME },
  remount: { clear: false, flag: k.MS_REMOUNT },
  ro: { clear: false, flag: k.MS_RDONLY },
  rw: { clear: true, flag: k.MS_RDONLY },
  strictatime: { clear: false, flag: k.MS_STRICTATIME },
  suid: { clear: true, flag: k.MS_NOSUID },
  sync: { clear: false, flag: k.MS_SYNCHRONOUS },
  lazytime: { clear: false, flag: k.MS_LAZYTIME },
  nolazytime: { clear: true, flag: k.MS_LAZYTIME },
};

const PROPAGATION: Record<string, number> = {
  private: k.MS_PRIVATE,
  rprivate: k.MS_PRIVATE | k.MS_REC,
  shared: k.MS_SHARED,
  rshared: k.MS_SHARED | k.MS_REC,
  slave: k.MS_SLAVE,
  rslave: k.MS_SLAVE | k.MS_REC,
  unbindable: k.MS_UNBINDABLE,
  runbindable: k.MS_UNBINDABLE | k.MS_REC,
};

export interface ParsedOptions {
  flags: number;
  propagation: number[];
  data: string;
}

export function parseMountOptions(options: string[] = []): ParsedOptions {
  let flags = 0;
  const propagation: number[] = [];
  const data: string[] = [];
  for (const opt of options) {
    const f = FLAGS[opt];
    if (f) {
      flags = f.clear ? flags & ~f.flag : flags | f.flag;
    } else if (opt in PROPAGATION) {
      propagation.push(PROPAGATION[opt]);
    } else if (opt === 'idmap' || opt === 'ridmap') {
      throw new Error(`mount option "${opt}" (id-mapped mounts) is not supported`);
    } else {
      data.push(opt);
    }
  }
  return { flags, propagation, data: data.join(',') };
}

/** The root propagation named by linux.rootfsPropagation; runc's default is rslave. */
export function rootPropagation(name?: string): number {
  if (!name) return k.MS_SLAVE | k.MS_REC;
  const flag = PROPAGATION[name];
  if (flag === undefined) throw new Error(`linux.rootfsPropagation: unknown value "${name}"`);
  return flag;
}
