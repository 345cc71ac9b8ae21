// The init process's work, in runc's order (standard_init_linux.go).
import { writeFileSync } from 'node:fs';
import { CLONE_FS, O_CLOEXEC, O_PATH, O_WRONLY, PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS } from '../linux/constants';
import { unshare, setnsPath } from '../linux/namespaces';
import { open, close, write, dup2 } from '../linux/fd';
import { sethostname, setdomainname, umask } from '../linux/identity';
import { execve, prctl } from '../linux/process';
import { chdir } from '../linux/mount';
import { prepareRootfs, enterRootfs } from '../rootfs/prepare';
import type { InitRequest } from './messages';
import { openStdio } from './stdio';
import { lookPath } from './look-path';
import { applyRlimits } from './rlimits';
import { applyIdentity } from './identity';

export function runInit(req: InitRequest, ready: () => void): never {
  const { spec, namespaces } = req;
  const proc = spec.process!;
  // setns into a mount namespace needs a thread that does not share its
  // fs_struct; Node's pool threads share the main thread's.
  unshare(CLONE_FS);
  for (const ns of namespaces.join) setnsPath(ns.path, ns.flag);
  if (namespaces.unshareFlags) unshare(namespaces.unshareFlags);

  // Host paths must be opened before pivot_root hides them.
  const stdio = openStdio(req.stdio);
  const fifoPath = open(req.execFifo, O_PATH | O_CLOEXEC);

  prepareRootfs(req.rootfs, spec, req.cgroupMounts);
  if (spec.hostname && namespaces.types.includes('uts')) sethostname(spec.hostname);
  if (spec.domainname) setdomainname(spec.domainname);
  for (const [key, value] of Object.entries(spec.linux?.sysctl ?? {})) {
    writeFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, value);
  }
  enterRootfs(req.rootfs, spec);

  applyRlimits(proc.rlimits);
  if (proc.oomScoreAdj !== undefined) writeFileSync('/proc/self/oom_score_adj', String(proc.oomScoreAdj));
  if (proc.user.umask !== undefined) umask(proc.user.umask);
  const env = proc.env ?? [];
  chdir(proc.cwd);
  const program = lookPath(proc.args![0], env);
  applyIdentity(proc);
  if (proc.noNewPrivileges) prctl(PR_SET_NO_NEW_PRIVS, 1);

  // From here on the container must survive its runtime (a shim may die and
  // be cleaned up by containerd while the container runs).
  prctl(PR_SET_PDEATHSIG, 0);
  ready();

  // The start gate: this open blocks until `start` opens the FIFO for reading.
  const gate = open(`/proc/self/fd/${fifoPath}`, O_WRONLY | O_CLOEXEC);
  write(gate, Buffer.from('0'));
  close(gate);
  close(fifoPath);

  stdio.forEach((fd, i) => dup2(fd, i));
  execve(program, proc.args!, env);
}
