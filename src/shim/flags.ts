// Go's flag syntax, which containerd uses to call shims: single-dash long
// names, "-name value" or "-name=value", booleans without a value, parsing
// stops at the first non-flag argument (the action).

const BOOLEAN = new Set(['debug', 'v', 'version', 'info']);

export interface ShimFlags {
  values: Record<string, string>;
  bools: Set<string>;
  action: string;
  rest: string[];
}

export function parseFlags(argv: string[]): ShimFlags {
  const values: Record<string, string> = {};
  const bools = new Set<string>();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    if (BOOLEAN.has(name)) {
      if (eq < 0 || body.slice(eq + 1) === 'true') bools.add(name);
      continue;
    }
    if (eq >= 0) values[name] = body.slice(eq + 1);
    else if (i + 1 < argv.length) values[name] = argv[++i];
    else throw new Error(`flag needs an argument: -${name}`);
  }
  return { values, bools, action: argv[i] ?? '', rest: argv.slice(i + 1) };
}
