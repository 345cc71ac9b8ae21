// Node entry for the shim actions the start script does not answer itself.
import { parseFlags } from './flags';
import { deleteAction } from './delete-action';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.action === 'delete') {
    const out = await deleteAction(flags);
    process.stdout.write(out);
    return;
  }
  throw new Error(`unknown action ${JSON.stringify(flags.action)}`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
