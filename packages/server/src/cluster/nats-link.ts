import { connect, type NatsConnection } from 'nats';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The replicas' wire: JSON messages on NATS subjects under one prefix per cluster, so several
 * clusters (or tests) share one NATS server without hearing each other. `noEcho`: a replica never
 * receives what it published itself.
 */
export class NatsLink {
  readonly #nc: NatsConnection;
  readonly #prefix: string;
  /** messages that were not JSON, ignored (the live sync logs the count) */
  badMessages = 0;

  private constructor(nc: NatsConnection, prefix: string) {
    this.#nc = nc;
    this.#prefix = prefix;
  }

  /** Connects (keeps reconnecting for ever once connected); throws when the first connection fails. */
  static async open(url: string, prefix: string, name: string): Promise<NatsLink> {
    const nc = await connect({ servers: url, name, noEcho: true, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5000 });
    return new NatsLink(nc, prefix);
  }

  publish(topic: string, data: unknown): void {
    if (this.#nc.isClosed()) return;
    this.#nc.publish(`${this.#prefix}.${topic}`, encoder.encode(JSON.stringify(data)));
  }

  subscribe(topic: string, fn: (data: unknown) => void): () => void {
    const sub = this.#nc.subscribe(`${this.#prefix}.${topic}`, {
      callback: (err, msg) => {
        if (err) return;
        let data: unknown;
        try {
          data = JSON.parse(decoder.decode(msg.data));
        } catch {
          this.badMessages++;
          return;
        }
        fn(data);
      },
    });
    return () => sub.unsubscribe();
  }

  async close(): Promise<void> {
    if (this.#nc.isClosed()) return;
    await this.#nc.drain().catch(() => this.#nc.close());
  }
}
