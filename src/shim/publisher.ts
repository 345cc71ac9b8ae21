// Publishes task events to containerd: Events/Forward over ttrpc at
// TTRPC_ADDRESS, one at a time in queue order (containerd requires create <
// start < exit < delete). A failed send is retried with back-off and dropped
// after five attempts, like containerd's own shim publisher; a lost
// connection is re-dialled.
import { containerd } from '../gen/proto';
import { Client } from '../ttrpc/client';
import type { EventSink } from '../task/events';
import { timestamp } from '../task/service';
import { log } from './log';

const SERVICE = 'containerd.services.events.ttrpc.v1.Events';
const MAX_ATTEMPTS = 5;
const QUEUE_LIMIT = 2048;

interface Pending {
  payload: Uint8Array;
  topic: string;
  attempts: number;
}

export class Publisher implements EventSink {
  private readonly queue: Pending[] = [];
  private client: Client | null = null;
  private running = false;
  private idle: (() => void)[] = [];

  constructor(private readonly address: string | undefined, private readonly namespace: string) {}

  publish(topic: string, typeUrl: string, value: Uint8Array): void {
    if (!this.address) return;
    if (this.queue.length >= QUEUE_LIMIT) {
      log.warn(`event queue full, dropping ${topic}`);
      return;
    }
    const payload = containerd.services.events.ttrpc.v1.ForwardRequest.encode({
      envelope: { timestamp: timestamp(new Date()), namespace: this.namespace, topic, event: { type_url: typeUrl, value } },
    }).finish();
    this.queue.push({ payload, topic, attempts: 0 });
    if (!this.running) void this.run();
  }

  /** Resolves when the queue is empty or the timeout passes. */
  drain(timeoutMs: number): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  close(): void {
    void this.client?.close();
    this.client = null;
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.queue.length) {
      const next = this.queue[0];
      try {
        await this.send(next.payload);
        this.queue.shift();
      } catch (err) {
        this.client = null;
        if (++next.attempts >= MAX_ATTEMPTS) {
          log.error(`dropping event ${next.topic} after ${MAX_ATTEMPTS} attempts: ${(err as Error).message}`);
          this.queue.shift();
        } else {
          await new Promise((r) => setTimeout(r, next.attempts * 200));
        }
      }
    }
    this.running = false;
    for (const done of this.idle.splice(0)) done();
  }

  private async send(payload: Uint8Array): Promise<void> {
    if (!this.client || this.client.closed) {
      this.client = await Client.connect(this.address!, 5000);
      this.client.on('close', () => (this.client = null));
    }
    await this.client.call(SERVICE, 'Forward', payload, {
      timeoutMs: 5000,
      metadata: { 'containerd-namespace-ttrpc': this.namespace },
    });
  }
}
