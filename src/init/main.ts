// Entry point of an init process: PID 1 of the container's pid namespace until
// it execs the user's program (runc's "runc init"). It is started warm by the
// launcher, says hello, and waits on fd 3 for its InitRequest.
//
// Everything after the request arrives runs synchronously on the main thread:
// namespace and mount calls act on the calling thread, and after pivot_root
// only this thread sees the container's root (libuv's pool threads keep the
// host's), so no asynchronous fs call may run here.
import { readSync, writeSync } from 'node:fs';
import { PR_SET_PDEATHSIG } from '../linux/constants';
import { prctl } from '../linux/process';
import { INIT_REPLY_FD, INIT_REQUEST_FD, type InitReply, type InitRequest } from './messages';
import { runInit } from './run';

function reply(msg: InitReply): void {
  writeSync(INIT_REPLY_FD, JSON.stringify(msg) + '\n');
}

function readRequest(): InitRequest | null {
  const chunks: Buffer[] = [];
  const buf = Buffer.alloc(65536);
  for (;;) {
    const n = readSync(INIT_REQUEST_FD, buf, 0, buf.length, null);
    if (n === 0) return null;
    const chunk = Buffer.from(buf.subarray(0, n));
    chunks.push(chunk);
    if (chunk.includes(10)) return JSON.parse(Buffer.concat(chunks).toString('utf8')) as InitRequest;
  }
}

function main(): void {
  if (process.env.TSSHIM_BUILD_CODE_CACHE) return;
  // A warm init must not outlive the runtime that launched it.
  prctl(PR_SET_PDEATHSIG, 9);
  reply({ type: 'hello' });
  const request = readRequest();
  if (!request) process.exit(0);
  try {
    runInit(request, () => reply({ type: 'ready' }));
  } catch (err) {
    reply({ type: 'error', message: (err as Error).message });
    process.exit(1);
  }
}

main();
