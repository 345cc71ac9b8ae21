// Finds the program to exec inside the container, as runc does with Go's
// exec.LookPath against the process's own PATH.
import { accessSync, statSync, constants } from 'node:fs';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function lookPath(file: string, env: string[]): string {
  if (file.includes('/')) {
    if (!isExecutable(file)) throw new Error(`exec: "${file}": stat ${file}: no such file or executable`);
    return file;
  }
  const pathVar = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? DEFAULT_PATH;
  for (const dir of pathVar.split(':')) {
    const candidate = `${dir || '.'}/${file}`;
    if (isExecutable(candidate)) return candidate;
  }
  throw new Error(`exec: "${file}": executable file not found in $PATH`);
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
