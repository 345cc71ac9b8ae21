// The shim daemon: serves containerd.task.v2.Task on its socket for every
// container of its group, reaps children and publishes events, and exits
// once containerd has shut down its last container.
import { mkdirSync, renameSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Server } from '../ttrpc/server';
import { Runtime } from '../runtime/runtime';
import type { InitLauncher } from '../init/launcher';
import { TaskManager } from '../task/manager';
import { taskHandlers, TASK_SERVICE } from '../task/service';
import { eventListener } from '../task/event-encoder';
import type { ShimFlags } from './flags';
import { configureLog, log } from './log';
import { Publisher } from './publisher';
import { startReaper } from './reaper';
import { shimRoot } from './paths';
import { takeGroupLock } from './group-lock';

// A shim nobody talks to and that holds no container exits after this long.
const IDLE_EXIT_MS = 60_000;

export async function runDaemon(flags: ShimFlags, launcher: InitLauncher): Promise<void> {
  const namespace = flags.values.namespace;
  const socket = flags.values.socket;
  if (!namespace) throw new Error('shim namespace cannot be empty');
  if (!socket) throw new Error('-socket is required');
  configureLog({ namespace, group: flags.values.id ?? '' }, flags.bools.has('debug'));
  const releaseLock = takeGroupLock(socket);
  if (!releaseLock) {
    // Two starts raced for a new group; the other daemon serves it.
    launcher.dispose();
    process.exit(0);
  }

  const publisher = new Publisher(process.env.TTRPC_ADDRESS, namespace);
  // -id is the group id: a shim started for one container has its id.
  const grouped = flags.values.id !== undefined && flags.values.group === 'true';
  const tasks = new TaskManager(new Runtime(shimRoot(namespace)), launcher, eventListener(publisher), grouped);
  startReaper((e) => tasks.onExit(e.pid, e.status));

  const server = new Server({ onError: (err) => log.warn(`ttrpc: ${err.message}`) });
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    // Let the Shutdown response go out before the connections close.
    setImmediate(async () => {
      try {
        unlinkSync(socket);
      } catch {
        // already gone
      }
      releaseLock();
      launcher.dispose();
      await publisher.drain(5000);
      publisher.close();
      await server.close();
      process.exit(0);
    });
  };
  server.register(TASK_SERVICE, taskHandlers(tasks, { pid: process.pid, shutdown }));

  // Bind under a temporary name and rename into place: containerd dials as
  // soon as `start` prints the address, retrying while the path does not
  // exist, so the path must never exist without a listener behind it.
  mkdirSync(dirname(socket), { recursive: true, mode: 0o711 });
  const tmp = join(dirname(socket), `.${process.pid}.tmp`);
  const listener = createServer();
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(tmp, () => resolve());
  });
  renameSync(tmp, socket);
  server.serve(listener);

  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  const idle = setInterval(() => {
    if (tasks.size === 0 && server.connections === 0) shutdown();
  }, IDLE_EXIT_MS);
  idle.unref();
  log.debug('serving');
}
