// containerd.task.v2.Task over ttrpc: decode the request, call the task
// manager, encode the response. Every error leaves through toTtrpcError.
import { containerd, google } from '../gen/proto';
import type { Handler } from '../ttrpc/server';
import { toTtrpcError, unimplemented } from './errors';
import type { TaskManager } from './manager';
import type { ExitInfo } from './process';
import { decodeRuntimeOptions } from './runtime-options';

const v2 = containerd.task.v2;
const Status = containerd.v1.types.Status;

export const TASK_SERVICE = 'containerd.task.v2.Task';

export interface ShimControl {
  /** The shim's own pid, for Connect. */
  pid: number;
  /** Asked by Shutdown once no task remains. */
  shutdown(): void;
}

const STATUS: Record<string, number> = {
  created: Status.CREATED,
  running: Status.RUNNING,
  stopped: Status.STOPPED,
  paused: Status.PAUSED,
  pausing: Status.PAUSING,
  unknown: Status.UNKNOWN,
};

export function timestamp(d: Date | undefined | null): google.protobuf.Timestamp.$Properties | undefined {
  if (!d) return undefined;
  const ms = d.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

function exitFields(exit: ExitInfo | null) {
  return { exitStatus: exit?.status ?? 0, exitedAt: timestamp(exit?.at) };
}

type Decoder<T> = { decode(b: Uint8Array): T };
type Encoder<T> = { encode(m: T): { finish(): Uint8Array } };

function rpc<Req, Res>(req: Decoder<Req>, res: Encoder<Res>, fn: (r: Req) => Res | Promise<Res>): Handler {
  return async (payload) => {
    let decoded: Req;
    try {
      decoded = req.decode(payload);
    } catch (err) {
      throw toTtrpcError(new Error(`invalid request: ${(err as Error).message}`));
    }
    try {
      return res.encode(await fn(decoded)).finish();
    } catch (err) {
      throw toTtrpcError(err);
    }
  };
}

const empty = google.protobuf.Empty;

export function taskHandlers(tasks: TaskManager, shim: ShimControl): Record<string, Handler> {
  const notYet = (name: string): Handler => () => {
    throw unimplemented(`${name} is not implemented by tsshim yet`);
  };
  return {
    Create: rpc(v2.CreateTaskRequest, v2.CreateTaskResponse, async (r) => {
      decodeRuntimeOptions(r.options);
      const task = await tasks.create({
        id: r.id,
        bundle: r.bundle,
        rootfs: r.rootfs.map((m) => ({ type: m.type ?? '', source: m.source ?? '', options: m.options ?? [] })),
        terminal: r.terminal,
        stdin: r.stdin,
        stdout: r.stdout,
        stderr: r.stderr,
        checkpoint: r.checkpoint,
      });
      return { pid: task.init.pid };
    }),
    Start: rpc(v2.StartRequest, v2.StartResponse, async (r) => ({ pid: (await tasks.start(r.id, r.execId)).init.pid })),
    State: rpc(v2.StateRequest, v2.StateResponse, (r) => {
      const s = tasks.state(r.id, r.execId);
      return {
        id: s.id, bundle: s.bundle, pid: s.pid, status: STATUS[s.status], stdin: s.stdin, stdout: s.stdout,
        stderr: s.stderr, terminal: s.terminal, execId: r.execId, ...exitFields(s.exit),
      };
    }),
    Wait: rpc(v2.WaitRequest, v2.WaitResponse, async (r) => exitFields(await tasks.wait(r.id, r.execId))),
    Kill: rpc(v2.KillRequest, empty, (r) => {
      tasks.kill(r.id, r.execId, r.signal, r.all);
      return {};
    }),
    Delete: rpc(v2.DeleteRequest, v2.DeleteResponse, async (r) => {
      const { pid, exit } = await tasks.delete(r.id, r.execId);
      return { pid, ...exitFields(exit) };
    }),
    Pids: rpc(v2.PidsRequest, v2.PidsResponse, (r) => ({ processes: tasks.pids(r.id).map((pid) => ({ pid })) })),
    Connect: rpc(v2.ConnectRequest, v2.ConnectResponse, (r) => {
      let taskPid = 0;
      try {
        taskPid = tasks.get(r.id).init.pid;
      } catch {
        // unknown id: containerd only wants the shim pid then
      }
      return { shimPid: shim.pid, taskPid, version: '' };
    }),
    CloseIO: rpc(v2.CloseIORequest, empty, (r) => {
      if (r.stdin) tasks.closeStdin(r.id, r.execId);
      return {};
    }),
    Shutdown: rpc(v2.ShutdownRequest, empty, () => {
      if (tasks.size === 0) shim.shutdown();
      return {};
    }),
    Pause: notYet('Pause'),
    Resume: notYet('Resume'),
    Checkpoint: notYet('Checkpoint'),
    Exec: notYet('Exec'),
    ResizePty: notYet('ResizePty'),
    Update: notYet('Update'),
    Stats: notYet('Stats'),
  };
}
