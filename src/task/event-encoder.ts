// Turns task lifecycle changes into containerd's event messages, published
// in the order containerd requires: create, start, exit, delete.
import { containerd } from '../gen/proto';
import type { EventSink } from './events';
import { TOPICS } from './events';
import type { Task, TaskListener } from './manager';
import type { ExitInfo } from './process';
import { timestamp } from './service';

const ev = containerd.events;

export function eventListener(sink: EventSink): TaskListener {
  return {
    created(task: Task) {
      const r = task.request;
      sink.publish(TOPICS.create, 'containerd.events.TaskCreate', ev.TaskCreate.encode({
        containerId: r.id,
        bundle: r.bundle,
        rootfs: r.rootfs.map((m) => ({ type: m.type, source: m.source, options: m.options })),
        io: { stdin: r.stdin, stdout: r.stdout, stderr: r.stderr, terminal: r.terminal },
        checkpoint: r.checkpoint,
        pid: task.init.pid,
      }).finish());
    },
    started(task: Task) {
      sink.publish(TOPICS.start, 'containerd.events.TaskStart', ev.TaskStart.encode({
        containerId: task.id, pid: task.init.pid,
      }).finish());
    },
    exited(task: Task, exit: ExitInfo) {
      sink.publish(TOPICS.exit, 'containerd.events.TaskExit', ev.TaskExit.encode({
        containerId: task.id, id: task.id, pid: task.init.pid, exitStatus: exit.status, exitedAt: timestamp(exit.at),
      }).finish());
    },
    deleted(task: Task, exit: ExitInfo) {
      sink.publish(TOPICS.delete, 'containerd.events.TaskDelete', ev.TaskDelete.encode({
        containerId: task.id, pid: task.init.pid, exitStatus: exit.status, exitedAt: timestamp(exit.at),
      }).finish());
    },
  };
}
