// Helpers for the ttrpc tests: a temp dir per test for sockets, and a raw peer
// that speaks frames directly so tests can send what our client never would.

import * as fs from 'node:fs/promises';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ttrpc } from '../../../src/gen/proto';
import { encodeFrame, FrameReader, MessageType, type Frame } from '../../../src/ttrpc/frame';

export interface SocketDir {
  socket: string;
  remove(): Promise<void>;
}

export async function socketDir(): Promise<SocketDir> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tsshim-ttrpc-'));
  return { socket: path.join(dir, 'ttrpc.sock'), remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

export function requestFrame(
  streamId: number,
  service: string,
  method: string,
  payload: Uint8Array = new Uint8Array(0),
): Buffer {
  return encodeFrame(streamId, MessageType.Request, 0, ttrpc.Request.encode({ service, method, payload }).finish());
}

export interface Answer {
  streamId: number;
  code: number;
  message: string;
  payload: Buffer;
}

export function answer(frame: Frame): Answer {
  const response = ttrpc.Response.decode(frame.data);
  return {
    streamId: frame.streamId,
    code: response.status?.code ?? 0,
    message: response.status?.message ?? '',
    payload: Buffer.from(response.payload),
  };
}

// One end of a unix socket seen as frames and raw bytes.
export class RawPeer {
  readonly closed: Promise<void>;
  private readonly reader = new FrameReader();
  private readonly frames: Frame[] = [];
  private readonly waiters: ((frame: Frame | undefined) => void)[] = [];
  private bytes: Buffer[] = [];
  private isClosed = false;

  constructor(readonly socket: net.Socket) {
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.bytes.push(chunk);
      for (const event of this.reader.feed(chunk)) {
        if (event.kind !== 'frame') {
          socket.destroy(); // nextFrame() then resolves undefined and the test fails there
          return;
        }
        const waiter = this.waiters.shift();
        if (waiter) waiter(event.frame);
        else this.frames.push(event.frame);
      }
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        for (const waiter of this.waiters.splice(0)) waiter(undefined);
        resolve();
      }),
    );
  }

  static connect(socketPath: string): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path: socketPath });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawPeer(socket));
      });
    });
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  // Everything received so far, as one buffer.
  received(): Buffer {
    return Buffer.concat(this.bytes);
  }

  // The next frame, or undefined once the connection is closed.
  nextFrame(): Promise<Frame | undefined> {
    const frame = this.frames.shift();
    if (frame || this.isClosed) return Promise.resolve(frame);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async nextAnswer(): Promise<Answer> {
    const frame = await this.nextFrame();
    if (frame === undefined) throw new Error('connection closed before a response');
    return answer(frame);
  }

  destroy(): Promise<void> {
    this.socket.destroy();
    return this.closed;
  }
}
