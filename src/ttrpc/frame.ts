// ttrpc framing: every message is a 10-byte header followed by its data.
//
//   offset  size  field        encoding
//   ------  ----  -----------  -------------------------------------------
//        0     4  length       uint32 big-endian, bytes of data after header
//        4     4  stream id    uint32 big-endian; odd = client initiated
//        8     1  type         uint8: 1 Request, 2 Response, 3 Data
//        9     1  flags        uint8, meaning depends on type (see Flag)
//       10     n  data         protobuf: ttrpc.Request / ttrpc.Response
//
// The length never exceeds 4 MiB, so its first byte is always 0; the protocol
// calls that byte reserved. We use it to tell a large message (answered with
// ResourceExhausted, connection kept) from bytes that are not ttrpc at all
// (connection closed), because framing cannot recover from garbage.

import { Code, TtrpcError } from './codes';

export const MESSAGE_HEADER_LENGTH = 10;
export const MESSAGE_LENGTH_MAX = 4 << 20;

export enum MessageType {
  Request = 0x1,
  Response = 0x2,
  Data = 0x3, // streaming only (ttrpc >= 1.2); the shim API is unary
}

export enum Flag {
  RemoteClosed = 0x1, // Request: non-unary, sender is done; Data: last frame
  RemoteOpen = 0x2, // Request: non-unary, Data frames follow
  NoData = 0x4, // Data: frame carries no payload
}

export interface Frame {
  streamId: number;
  type: number;
  flags: number;
  data: Buffer;
}

export type FrameEvent =
  | { kind: 'frame'; frame: Frame }
  // Declared length over MESSAGE_LENGTH_MAX: the body is being discarded.
  | { kind: 'oversize'; streamId: number; type: number; length: number }
  // Reserved byte set: the peer does not speak ttrpc; nothing more is parsed.
  | { kind: 'malformed'; reason: string };

// The status Go ttrpc sends for an oversized message; the text is Go's.
export function oversizeError(length: number): TtrpcError {
  return new TtrpcError(
    Code.ResourceExhausted,
    `message length ${length} exceed maximum message size of ${MESSAGE_LENGTH_MAX}`,
  );
}

// Encodes one frame. Refuses data over the limit, as Go ttrpc >= 1.2.6 does on
// the sending side, so that no peer ever has to discard a message of ours.
export function encodeFrame(streamId: number, type: number, flags: number, data: Uint8Array): Buffer {
  if (data.length > MESSAGE_LENGTH_MAX) throw oversizeError(data.length);
  const out = Buffer.allocUnsafe(MESSAGE_HEADER_LENGTH + data.length);
  out.writeUInt32BE(data.length, 0);
  out.writeUInt32BE(streamId, 4);
  out.writeUInt8(type, 8);
  out.writeUInt8(flags, 9);
  out.set(data, MESSAGE_HEADER_LENGTH);
  return out;
}

interface Header {
  length: number;
  streamId: number;
  type: number;
  flags: number;
}

// Turns a byte stream cut at arbitrary points into frames. Chunks are kept as
// received and joined once per frame, so a 4 MiB message arriving in 64 KiB
// reads costs one copy, not one per read.
export class FrameReader {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private header: Header | undefined;
  private skipping = 0; // body bytes of an oversize frame still to discard
  private broken = false;

  // Bytes held while waiting for the rest of a frame (0 while discarding).
  get buffered(): number {
    return this.bufferedBytes;
  }

  feed(chunk: Buffer): FrameEvent[] {
    const events: FrameEvent[] = [];
    if (this.broken) return events;
    if (this.skipping > 0) chunk = this.skip(chunk);
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    while (this.next(events));
    return events;
  }

  // Parses at most one header or body; false when more input is needed.
  private next(events: FrameEvent[]): boolean {
    if (this.skipping > 0) {
      this.skipping -= this.drop(this.skipping);
      return this.skipping === 0 && this.bufferedBytes > 0;
    }
    if (this.header === undefined) return this.readHeader(events);
    if (this.bufferedBytes < this.header.length) return false;
    const { streamId, type, flags, length } = this.header;
    this.header = undefined;
    events.push({ kind: 'frame', frame: { streamId, type, flags, data: this.take(length) } });
    return true;
  }

  private readHeader(events: FrameEvent[]): boolean {
    if (this.bufferedBytes < MESSAGE_HEADER_LENGTH) return false;
    const raw = this.take(MESSAGE_HEADER_LENGTH);
    const header = {
      length: raw.readUInt32BE(0),
      streamId: raw.readUInt32BE(4),
      type: raw[8],
      flags: raw[9],
    };
    if (raw[0] !== 0) {
      this.broken = true;
      this.chunks = [];
      this.bufferedBytes = 0;
      events.push({ kind: 'malformed', reason: `reserved header byte is 0x${raw[0].toString(16)}` });
      return false;
    }
    if (header.length > MESSAGE_LENGTH_MAX) {
      this.skipping = header.length;
      events.push({ kind: 'oversize', streamId: header.streamId, type: header.type, length: header.length });
      return true;
    }
    this.header = header;
    return true;
  }

  // Drops the part of a fresh chunk that belongs to a discarded body, before
  // it is ever queued.
  private skip(chunk: Buffer): Buffer {
    const n = Math.min(this.skipping, chunk.length);
    this.skipping -= n;
    return chunk.subarray(n);
  }

  // Discards up to n buffered bytes without copying; returns how many.
  private drop(n: number): number {
    let dropped = 0;
    while (dropped < n && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const m = Math.min(chunk.length, n - dropped);
      if (m === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(m);
      dropped += m;
    }
    this.bufferedBytes -= dropped;
    return dropped;
  }

  // Removes and returns the next n buffered bytes (caller checked they exist).
  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0];
    if (first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.bufferedBytes -= n;
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let offset = 0;
    while (offset < n) {
      const chunk = this.chunks[0];
      const m = Math.min(chunk.length, n - offset);
      chunk.copy(out, offset, 0, m);
      if (m === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(m);
      offset += m;
    }
    this.bufferedBytes -= n;
    return out;
  }
}
