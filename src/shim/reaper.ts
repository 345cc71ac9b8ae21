// The shim is a child subreaper: container processes whose parents die are
// re-parented to it, and it collects every exit with one waitpid(-1) loop on
// SIGCHLD. Signals coalesce, so each wakeup drains all exited children.
import { reapAll, setChildSubreaper, type Exit } from '../linux/process';

export function startReaper(onExit: (e: Exit) => void): void {
  setChildSubreaper();
  const drain = () => {
    for (const e of reapAll()) onExit(e);
  };
  process.on('SIGCHLD', drain);
  drain();
}
