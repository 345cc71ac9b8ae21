// Runs one of tsshim's bundled programs (dist/bundle/*.js) with a V8 code
// cache. Node 20 has no compile cache of its own, and parsing and compiling
// the shim's modules is a large share of its start-up, which is on the path
// of every container a fresh shim creates.
//
//   node dist/src/boot/boot.js dist/bundle/shim.js ARGS...
//
// With TSSHIM_BUILD_CODE_CACHE=1 the program only loads its modules (each
// entry point checks the variable) and the cache is written next to it.
import { readFileSync, writeFileSync } from 'node:fs';
import Module = require('node:module');
import { dirname } from 'node:path';
import { Script } from 'node:vm';

interface ModuleInternals {
  filename: string;
  paths: string[];
  require(id: string): unknown;
  exports: unknown;
}

const ModuleCtor = Module as unknown as {
  new (id: string, parent: null): ModuleInternals;
  wrap(src: string): string;
  _nodeModulePaths(dir: string): string[];
};

function boot(): void {
  const file = process.argv[2];
  const cacheFile = `${file}.cache`;
  const source = readFileSync(file, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet: compile from source
  }
  const script = new Script(ModuleCtor.wrap(source), { filename: file, cachedData });
  const mod = new ModuleCtor(file, null);
  mod.filename = file;
  mod.paths = ModuleCtor._nodeModulePaths(dirname(file));
  process.argv.splice(1, 1);
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(mod.exports, mod.exports, (id: string) => mod.require(id), mod, file, dirname(file));
  if (process.env.TSSHIM_BUILD_CODE_CACHE) writeFileSync(cacheFile, script.createCachedData());
}

boot();
