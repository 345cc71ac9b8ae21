// OCI bundles for integration tests, built from Debian's static busybox: a
// rootfs with busybox and its applet links, and a config.json like the one
// `runc spec` writes, with the cgroup path naming the project.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Spec } from '../../src/oci/spec';

export const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'echo', 'cat', 'ls', 'sleep', 'hostname', 'id', 'true', 'false', 'readlink', 'grep', 'head'];

export interface Bundle {
  dir: string;
  spec: Spec;
  write(): void;
  remove(): void;
}

export function makeBundle(args: string[], cgroupsPath: string): Bundle {
  const dir = mkdtempSync(join(tmpdir(), 'tsshim-bundle-'));
  const rootfs = join(dir, 'rootfs');
  for (const d of ['bin', 'proc', 'sys', 'dev', 'etc', 'tmp']) mkdirSync(join(rootfs, d), { recursive: true });
  copyFileSync(BUSYBOX, join(rootfs, 'bin/busybox'));
  for (const a of APPLETS) symlinkSync('busybox', join(rootfs, 'bin', a));
  const spec: Spec = {
    ociVersion: '1.1.0',
    process: {
      args,
      env: ['PATH=/bin', 'TERM=xterm'],
      cwd: '/',
      user: { uid: 0, gid: 0 },
      capabilities: {
        bounding: ['CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_AUDIT_WRITE'],
        effective: ['CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_AUDIT_WRITE'],
        permitted: ['CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_AUDIT_WRITE'],
      },
      rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
      noNewPrivileges: true,
    },
    root: { path: 'rootfs' },
    hostname: 'tsshim-it',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      cgroupsPath,
      namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
      maskedPaths: ['/proc/kcore', '/proc/timer_list'],
      readonlyPaths: ['/proc/sys'],
    },
  };
  const bundle: Bundle = {
    dir,
    spec,
    write: () => writeFileSync(join(dir, 'config.json'), JSON.stringify(spec)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  bundle.write();
  return bundle;
}

export function whyNoBundle(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root';
  if (!existsSync(BUSYBOX)) return `needs ${BUSYBOX} (apt-get install busybox-static)`;
  return undefined;
}
