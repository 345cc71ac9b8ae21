import { rmdirSync } from 'node:fs';

/**
 * rmdir a cgroup directory, retrying while it is busy: processes that were
 * just killed linger in the cgroup until they are fully reaped.
 */
export async function removeCgroupDir(dir: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    try {
      rmdirSync(dir);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, delay));
  }
}

export function parsePids(text: string): number[] {
  return text.split('\n').filter(Boolean).map(Number);
}
