import { join } from 'node:path';

/** Runtime root of a containerd namespace: ids are unique only within one. */
export function shimRoot(namespace: string): string {
  return join(process.env.TSSHIM_ROOT ?? '/run/containerd/tsshim', namespace);
}
