// A unary ttrpc server: what containerd dials to drive a shim.
//
// Requests on one connection run concurrently and are answered as they finish,
// matched by stream id: containerd keeps a Wait open for the life of a task
// while it sends State, Kill and Delete on the same connection. A peer that
// misbehaves loses its own connection at worst; nothing here throws into the
// event loop, because an uncaught error would take every container's shim
// down with it.

import * as net from 'node:net';
import { ttrpc } from '../gen/proto';
import { Code, TtrpcError, statusOf, type Status } from './codes';
import { encodeFrame, FrameReader, MessageType, oversizeError, type FrameEvent } from './frame';

// Metadata key under which containerd sends the namespace of every call.
export const NAMESPACE_KEY = 'containerd-namespace-ttrpc';

export interface CallContext {
  readonly service: string;
  readonly method: string;
  readonly streamId: number;
  // Keys lower-cased (as Go ttrpc does); a key sent several times keeps every value.
  readonly metadata: ReadonlyMap<string, readonly string[]>;
  // The caller's remaining deadline in ns; 0 = none.
  readonly timeoutNano: number;
  readonly namespace: string | undefined;
  // Aborted when the deadline passes, the caller disconnects or the server closes.
  readonly signal: AbortSignal;
}

export type Handler = (payload: Uint8Array, ctx: CallContext) => Promise<Uint8Array> | Uint8Array;

export interface ServerOptions {
  // Told about errors that would otherwise be silent: failed accepts, broken peers.
  onError?: (err: Error) => void;
}

type Dispatch = (request: ttrpc.Request, ctx: CallContext) => Promise<Uint8Array>;

export class Server {
  private readonly services = new Map<string, Map<string, Handler>>();
  private readonly listeners = new Set<net.Server>();
  private readonly open = new Set<Connection>();
  private readonly onError: (err: Error) => void;
  private closing = false;

  constructor(options: ServerOptions = {}) {
    this.onError = options.onError ?? (() => {});
  }

  get connections(): number {
    return this.open.size;
  }

  register(service: string, methods: Readonly<Record<string, Handler>>): void {
    if (this.services.has(service)) throw new Error(`ttrpc: duplicate service ${service} registered`);
    this.services.set(service, new Map(Object.entries(methods)));
  }

  // Listens on a unix socket path (a `unix://` prefix is accepted).
  async listen(address: string): Promise<net.Server> {
    const listener = net.createServer();
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(address.replace(/^unix:\/\//, ''), () => {
        listener.off('error', reject);
        resolve();
      });
    });
    this.serve(listener);
    return listener;
  }

  // Serves every connection a listening net.Server accepts, e.g. one built on
  // an inherited socket fd. close() closes it too.
  serve(listener: net.Server): void {
    this.listeners.add(listener);
    listener.on('connection', (socket) => this.accept(socket));
    listener.on('error', (err) => this.onError(err));
  }

  // Serves one already-connected socket.
  accept(socket: net.Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, (request, ctx) => this.dispatch(request, ctx), this.onError);
    this.open.add(connection);
    void connection.closed.then(() => this.open.delete(connection));
  }

  // Stops accepting and ends every connection now; calls still running are
  // aborted and their responses dropped. Resolves once every socket is closed.
  async close(): Promise<void> {
    this.closing = true;
    const done = [...this.listeners].map(closeListener);
    for (const connection of this.open) {
      connection.end();
      done.push(connection.closed);
    }
    await Promise.all(done);
  }

  // Stops accepting, lets calls in flight finish and ends each connection once
  // it is idle. A call that never returns keeps this pending; race it against
  // a timer and close() if that matters.
  async shutdown(): Promise<void> {
    this.closing = true;
    const done = [...this.listeners].map(closeListener);
    for (const connection of this.open) {
      connection.drain();
      done.push(connection.closed);
    }
    await Promise.all(done);
  }

  private async dispatch(request: ttrpc.Request, ctx: CallContext): Promise<Uint8Array> {
    const methods = this.services.get(request.service);
    if (methods === undefined) throw new TtrpcError(Code.Unimplemented, `service ${request.service}`);
    const handler = methods.get(request.method);
    if (handler === undefined) throw new TtrpcError(Code.Unimplemented, `method ${request.method}`);
    const payload = await handler(request.payload, ctx);
    if (!(payload instanceof Uint8Array)) {
      throw new TtrpcError(Code.Internal, `/${request.service}/${request.method} returned no bytes`);
    }
    return payload;
  }
}

function closeListener(listener: net.Server): Promise<void> {
  // The callback also runs with ERR_SERVER_NOT_RUNNING when already closed.
  return new Promise((resolve) => listener.close(() => resolve()));
}

// One accepted socket: its frame reader, its calls in flight and the rules of
// the protocol that apply per connection.
class Connection {
  readonly closed: Promise<void>;
  private readonly reader = new FrameReader();
  private readonly inflight = new Map<number, AbortController>();
  private lastStreamId = 0;
  private draining = false;
  private ending = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly dispatch: Dispatch,
    private readonly onError: (err: Error) => void,
  ) {
    // A peer vanishing mid-call is routine; 'close' follows and cleans up.
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        for (const controller of this.inflight.values()) controller.abort(closedError());
        this.inflight.clear();
        resolve();
      }),
    );
  }

  // Flushes what is already written, then closes.
  end(): void {
    for (const controller of this.inflight.values()) controller.abort(closedError());
    if (this.ending || this.socket.destroyed) return;
    this.ending = true;
    this.socket.end(() => this.socket.destroy());
    // A peer that stops reading would keep 'finish' from ever firing.
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  drain(): void {
    this.draining = true;
    if (this.inflight.size === 0) this.end();
  }

  private onData(chunk: Buffer): void {
    let events: FrameEvent[];
    try {
      events = this.reader.feed(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    for (const event of events) {
      if (event.kind === 'frame') this.onFrame(event.frame.streamId, event.frame.type, event.frame.data);
      else if (event.kind === 'oversize') this.reply(event.streamId, statusOf(oversizeError(event.length)));
      else this.fail(new Error(`ttrpc: closing connection: ${event.reason}`));
    }
  }

  private onFrame(streamId: number, type: number, data: Buffer): void {
    // Go ttrpc 1.1 ignores other frame types "for future compat"; so do we.
    if (type !== MessageType.Request) return;
    if (streamId % 2 !== 1) {
      this.reply(streamId, invalid('StreamID must be odd for client initiated streams'));
      return;
    }
    // ttrpc 1.2 rule; a reused id would make two responses indistinguishable.
    if (streamId <= this.lastStreamId) {
      this.reply(streamId, invalid('StreamID cannot be re-used and must increment'));
      return;
    }
    this.lastStreamId = streamId;
    let request: ttrpc.Request;
    try {
      request = ttrpc.Request.decode(data);
    } catch (err) {
      this.reply(streamId, invalid(`unmarshal request error: ${statusOf(err).message}`));
      return;
    }
    void this.run(streamId, request);
  }

  private async run(streamId: number, request: ttrpc.Request): Promise<void> {
    const controller = new AbortController();
    this.inflight.set(streamId, controller);
    const timeoutNano = int64ToNumber(request.timeoutNano);
    const timer = deadlineTimer(timeoutNano, controller);
    const ctx = callContext(streamId, request, timeoutNano, controller.signal);
    try {
      const payload = await this.dispatch(request, ctx);
      this.reply(streamId, { code: Code.OK, message: '' }, payload);
    } catch (err) {
      this.reply(streamId, statusOf(err));
    } finally {
      clearTimeout(timer);
      this.inflight.delete(streamId);
      if (this.draining && this.inflight.size === 0) this.end();
    }
  }

  // Writes a Response, or drops it when the caller is gone. Go ttrpc always
  // sends a status, an empty one (code 0) on success; we match it byte for byte.
  private reply(streamId: number, status: Status, payload?: Uint8Array): void {
    if (!this.socket.writable) return;
    let frame: Buffer;
    try {
      frame = encodeFrame(streamId, MessageType.Response, 0, ttrpc.Response.encode({ status, payload }).finish());
    } catch (err) {
      // Only an oversize payload can fail to encode; its status always fits.
      const fallback = ttrpc.Response.encode({ status: statusOf(err) }).finish();
      frame = encodeFrame(streamId, MessageType.Response, 0, fallback);
    }
    this.socket.write(frame);
  }

  private fail(err: unknown): void {
    this.onError(err instanceof Error ? err : new Error(String(err)));
    this.socket.destroy();
  }
}

function invalid(message: string): Status {
  return { code: Code.InvalidArgument, message };
}

function closedError(): TtrpcError {
  return new TtrpcError(Code.Canceled, 'ttrpc: connection closed');
}

function callContext(streamId: number, request: ttrpc.Request, timeoutNano: number, signal: AbortSignal): CallContext {
  const metadata = new Map<string, string[]>();
  for (const { key, value } of request.metadata ?? []) {
    const name = (key ?? '').toLowerCase();
    const values = metadata.get(name);
    if (values === undefined) metadata.set(name, [value ?? '']);
    else values.push(value ?? '');
  }
  return {
    service: request.service,
    method: request.method,
    streamId,
    metadata,
    timeoutNano,
    namespace: metadata.get(NAMESPACE_KEY)?.[0],
    signal,
  };
}

// Node fires timers longer than 2^31-1 ms after 1 ms; treat those as no deadline.
const TIMER_MAX_MS = 2 ** 31 - 1;

function deadlineTimer(timeoutNano: number, controller: AbortController): NodeJS.Timeout | undefined {
  const ms = Math.ceil(timeoutNano / 1e6);
  if (ms <= 0 || ms > TIMER_MAX_MS) return undefined;
  return setTimeout(() => controller.abort(new TtrpcError(Code.DeadlineExceeded, 'context deadline exceeded')), ms);
}

// protobufjs decodes int64 as a Long object when the `long` package is present.
function int64ToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    const { low, high } = value as { low: number; high: number };
    return high * 2 ** 32 + (low >>> 0);
  }
  return 0;
}
