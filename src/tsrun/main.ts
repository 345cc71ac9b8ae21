// tsrun: a runc-style command line over the same runtime core the shim uses.
// This first cut covers the lifecycle (create, start, state, kill, delete,
// list); the rest of runc's commands come with the runtime-core issue.
import { writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { Runtime } from '../runtime/runtime';
import { InitLauncher } from '../init/launcher';

interface Args {
  root: string;
  command: string;
  flags: Record<string, string | true>;
  positional: string[];
}

const VALUE_FLAGS = new Set(['root', 'bundle', 'b', 'pid-file', 'log', 'log-format', 'format', 'f']);

function parseArgs(argv: string[]): Args {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.replace(/^--?/, '').split(/=(.*)/s, 2);
    if (inline !== undefined) flags[name] = inline;
    else if (VALUE_FLAGS.has(name)) flags[name] = argv[++i] ?? '';
    else flags[name] = true;
  }
  const command = positional.shift() ?? '';
  return { root: String(flags.root ?? '/run/tsrun'), command, flags, positional };
}

function needId(args: Args): string {
  const id = args.positional[0];
  if (!id) throw new Error(`"${args.command}" requires a container id`);
  return id;
}

function signalNumber(name = 'SIGTERM'): number {
  if (/^\d+$/.test(name)) return Number(name);
  const key = (name.startsWith('SIG') ? name : `SIG${name}`).toUpperCase() as keyof typeof constants.signals;
  const n = constants.signals[key];
  if (n === undefined) throw new Error(`unknown signal "${name}"`);
  return n;
}

async function run(args: Args): Promise<void> {
  const runtime = new Runtime(args.root);
  switch (args.command) {
    case 'create': {
      const id = needId(args);
      const bundle = resolve(String(args.flags.bundle ?? args.flags.b ?? '.'));
      const launcher = new InitLauncher();
      // The container inherits tsrun's own stdio, as with `runc create`.
      const stdio = [0, 1, 2].map((fd) => `/proc/${process.pid}/fd/${fd}`) as [string, string, string];
      const c = await runtime.create(id, bundle, { launcher, stdio });
      if (typeof args.flags['pid-file'] === 'string') writeFileSync(args.flags['pid-file'], String(c.pid));
      return;
    }
    case 'start':
      return runtime.load(needId(args)).start();
    case 'state': {
      const c = runtime.load(needId(args));
      const status = c.status();
      process.stdout.write(JSON.stringify({
        ociVersion: '1.2.0', id: c.id, pid: status === 'stopped' ? 0 : c.pid, status, bundle: c.state.bundle,
        rootfs: c.state.rootfs, created: c.state.created, annotations: c.state.annotations,
      }, null, 2) + '\n');
      return;
    }
    case 'kill':
      return runtime.load(needId(args)).signal(signalNumber(args.positional[1]), args.flags.all === true || args.flags.a === true);
    case 'delete':
      return runtime.load(needId(args)).destroy(args.flags.force === true || args.flags.f === true);
    case 'list': {
      const rows = runtime.list().map((c) => ({ id: c.id, pid: c.pid, status: c.status(), bundle: c.state.bundle, created: c.state.created }));
      if (args.flags.format === 'json' || args.flags.f === 'json') {
        process.stdout.write(JSON.stringify(rows) + '\n');
        return;
      }
      process.stdout.write('ID\tPID\tSTATUS\tBUNDLE\tCREATED\n');
      for (const r of rows) process.stdout.write(`${r.id}\t${r.status === 'stopped' ? 0 : r.pid}\t${r.status}\t${r.bundle}\t${r.created}\n`);
      return;
    }
    case '':
      throw new Error('usage: tsrun [--root DIR] create|start|state|kill|delete|list ...');
    default:
      throw new Error(`"${args.command}" is not implemented by tsrun yet`);
  }
}

run(parseArgs(process.argv.slice(2))).catch((err: Error) => {
  process.stderr.write(`tsrun: ${err.message}\n`);
  process.exit(1);
});
