// A unary ttrpc client. The shim uses it to forward events to containerd
// (containerd.services.events.ttrpc.v1.Events/Forward on TTRPC_ADDRESS);
// tests use it to drive the shim's server.

import { EventEmitter } from 'node:events';
import * as net from 'node:net';
import { ttrpc } from '../gen/proto';
import { Code, TtrpcError, fromStatus } from './codes';
import { encodeFrame, FrameReader, MessageType, oversizeError, type FrameEvent } from './frame';

export interface CallOptions {
  // Local deadline; also sent as timeout_nano so the server can give up too.
  // Absent or <= 0: no deadline.
  timeoutMs?: number;
  // Keys are lower-cased, as Go ttrpc does; an array sends one entry per value.
  metadata?: Readonly<Record<string, string | readonly string[]>>;
}

interface Pending {
  resolve(payload: Uint8Array): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout | undefined;
}

const STREAM_ID_MAX = 0xffffffff;
// Node fires timers longer than 2^31-1 ms after 1 ms; such deadlines are only sent.
const TIMER_MAX_MS = 2 ** 31 - 1;

export interface Client {
  // Emitted once when the connection is gone, with the socket error if any.
  on(event: 'close', listener: (err?: Error) => void): this;
  once(event: 'close', listener: (err?: Error) => void): this;
}

export class Client extends EventEmitter {
  private readonly reader = new FrameReader();
  private readonly pending = new Map<number, Pending>();
  // Odd ids only, increasing: ttrpc 1.2 servers reject a reused or smaller id.
  private nextStreamId = 1;
  private socketError: Error | undefined;
  private isClosed = false;
  private readonly done: Promise<void>;

  // Dials a unix socket (a `unix://` prefix is accepted).
  static connect(address: string, timeoutMs = 10_000): Promise<Client> {
    const path = address.replace(/^unix:\/\//, '');
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TtrpcError(Code.DeadlineExceeded, `ttrpc: dial ${path}: timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const failed = (err: Error): void => {
        clearTimeout(timer);
        reject(err);
      };
      socket.once('error', failed);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', failed);
        resolve(new Client(socket));
      });
    });
  }

  // Wraps an already-connected socket.
  constructor(private readonly socket: net.Socket) {
    super();
    socket.on('error', (err) => (this.socketError ??= err));
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.done = new Promise((resolve) => socket.once('close', () => resolve(this.onClose())));
  }

  get closed(): boolean {
    return this.isClosed;
  }

  call(service: string, method: string, payload: Uint8Array, options: CallOptions = {}): Promise<Uint8Array> {
    if (this.isClosed) return Promise.reject(this.closedError());
    const streamId = this.nextStreamId;
    if (streamId > STREAM_ID_MAX) {
      return Promise.reject(new TtrpcError(Code.ResourceExhausted, 'ttrpc: stream ids exhausted; reconnect'));
    }
    this.nextStreamId += 2;
    const timeoutMs = options.timeoutMs !== undefined && options.timeoutMs > 0 ? options.timeoutMs : 0;
    let frame: Buffer;
    try {
      const request = ttrpc.Request.encode({
        service,
        method,
        payload,
        timeoutNano: Math.round(timeoutMs * 1e6),
        metadata: keyValues(options.metadata),
      }).finish();
      frame = encodeFrame(streamId, MessageType.Request, 0, request);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject, timer: undefined };
      if (timeoutMs > 0 && timeoutMs <= TIMER_MAX_MS) {
        pending.timer = setTimeout(() => {
          // A late response finds no waiter and is dropped.
          this.pending.delete(streamId);
          reject(new TtrpcError(Code.DeadlineExceeded, `ttrpc: /${service}/${method}: timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.pending.set(streamId, pending);
      this.socket.write(frame);
    });
  }

  // Ends the connection; calls still waiting reject. Resolves once closed.
  close(): Promise<void> {
    if (!this.socket.destroyed) this.socket.end(() => this.socket.destroy());
    return this.done;
  }

  private onData(chunk: Buffer): void {
    let events: FrameEvent[];
    try {
      events = this.reader.feed(chunk);
    } catch (err) {
      this.socket.destroy(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    for (const event of events) {
      if (event.kind === 'frame') {
        // ttrpc 1.2 servers may send Data frames on streaming calls; we make none.
        if (event.frame.type === MessageType.Response) this.settle(event.frame.streamId, event.frame.data);
      } else if (event.kind === 'oversize') {
        this.take(event.streamId)?.reject(oversizeError(event.length));
      } else {
        this.socket.destroy(new Error(`ttrpc: ${event.reason}`));
      }
    }
  }

  private settle(streamId: number, data: Buffer): void {
    const pending = this.take(streamId);
    if (pending === undefined) return;
    let response: ttrpc.Response;
    try {
      response = ttrpc.Response.decode(data);
    } catch (err) {
      pending.reject(new TtrpcError(Code.Internal, `ttrpc: unmarshal response: ${(err as Error).message}`));
      return;
    }
    const status = response.status;
    if (status && status.code) pending.reject(fromStatus({ code: status.code, message: status.message ?? '' }));
    else pending.resolve(response.payload);
  }

  private take(streamId: number): Pending | undefined {
    const pending = this.pending.get(streamId);
    if (pending === undefined) return undefined;
    this.pending.delete(streamId);
    clearTimeout(pending.timer);
    return pending;
  }

  private onClose(): void {
    this.isClosed = true;
    const err = this.closedError();
    for (const streamId of [...this.pending.keys()]) this.take(streamId)?.reject(err);
    this.emit('close', this.socketError);
  }

  private closedError(): TtrpcError {
    const cause = this.socketError ? `: ${this.socketError.message}` : '';
    return new TtrpcError(Code.Unavailable, `ttrpc: closed${cause}`);
  }
}

function keyValues(metadata: CallOptions['metadata']): ttrpc.KeyValue.$Properties[] {
  const out: ttrpc.KeyValue.$Properties[] = [];
  for (const [key, value] of Object.entries(metadata ?? {})) {
    const values: readonly string[] = typeof value === 'string' ? [value] : value;
    for (const v of values) out.push({ key: key.toLowerCase(), value: v });
  }
  return out;
}
