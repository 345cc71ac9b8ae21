// Entry point of the long-running shim daemon, started by the
// containerd-shim-tsshim-v2 script's `start` action.
//
// The first container's init process is the long pole of a fresh shim (a
// second Node boot), so it is launched before anything else is even loaded;
// the rest of the daemon loads while that init boots.
import { InitLauncher } from '../init/launcher';
import { parseFlags } from './flags';

function main(): void {
  if (process.env.TSSHIM_BUILD_CODE_CACHE) {
    // Building the code cache (src/boot/boot.ts): load every module, run nothing.
    require('./daemon');
    return;
  }
  const flags = parseFlags(process.argv.slice(2));
  const launcher = new InitLauncher();
  launcher.prewarm();
  const { runDaemon } = require('./daemon') as typeof import('./daemon');
  runDaemon(flags, launcher).catch((err: Error) => {
    process.stderr.write(`tsshim: ${err.stack ?? err.message}\n`);
    launcher.dispose();
    process.exit(1);
  });
}

main();
