// Entry point of the long-running shim daemon, started by the
// containerd-shim-tsshim-v2 script's `start` action.
//
// The first container's init process is the long pole of a fresh shim (a
// second Node boot), so it is launched before anything else is even loaded;
// the rest of the daemon loads while that init boots.
import { InitLauncher } from '../init/launcher';
import { parseFlags } from './flags';

const flags = parseFlags(process.argv.slice(2));
const launcher = new InitLauncher();
launcher.prewarm();

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { runDaemon } = require('./daemon') as typeof import('./daemon');
runDaemon(flags, launcher).catch((err: Error) => {
  process.stderr.write(`tsshim: ${err.stack ?? err.message}\n`);
  launcher.dispose();
  process.exit(1);
});
