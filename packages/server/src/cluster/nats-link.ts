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

  /** messages NATS refused to take (too large, connection closed); the live sync logs the count */
  publishFailures = 0;

  /** Never throws: it runs in timers, where a throw would end the process. */
  publish(topic: string, data: unknown): void {
    if (this.#nc.isClosed()) return;
    try {
      this.#nc.publish(`${this.#prefix}.${topic}`, encoder.encode(JSON.stringify(data)));
    } catch {
      this.publishFailures++;
    }
  }

  subscribe(topic: string, fn: (data: unknown) => void): () => void {
    const sub = this.#nc.subscribe(`${this.#prefix}.${topic}`, {
      callback: (err, msg) => {
        if (err) return;
        const data = this.#parse(msg.data);
        if (data !== undefined) fn(data);
      },
    });
    return () => sub.unsubscribe();
  }

  /** The first answer, or undefined: none within `timeoutMs`, no one listening, or not JSON. */
  async request(topic: string, data: unknown, timeoutMs: number): Promise<unknown> {
    if (this.#nc.isClosed()) return undefined;
    try {
      const msg = await this.#nc.request(`${this.#prefix}.${topic}`, encoder.encode(JSON.stringify(data)), { timeout: timeoutMs });
      return this.#parse(msg.data);
    } catch {
      return undefined;
    }
  }

  answer(topic: string, fn: (data: unknown) => unknown): () => void {
    const sub = this.#nc.subscribe(`${this.#prefix}.${topic}`, {
      callback: (err, msg) => {
        if (err || !msg.reply) return;
        const data = this.#parse(msg.data);
        if (data === undefined) return;
        const out = fn(data);
        if (out !== undefined && !this.#nc.isClosed()) msg.respond(encoder.encode(JSON.stringify(out)));
      },
    });
    return () => sub.unsubscribe();
  }

  #parse(bytes: Uint8Array): unknown {
    try {
      return JSON.parse(decoder.decode(bytes)) as unknown;
    } catch {
      this.badMessages++;
      return undefined;
    }
  }

  /** Drains (what was published goes out), but a stop never waits on NATS longer than `graceMs`. */
  async close(graceMs = 2000): Promise<void> {
    if (this.#nc.isClosed()) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    const drained = await Promise.race([this.#nc.drain().catch(() => undefined), late]);
    clearTimeout(timer);
    if (drained === 'late' || !this.#nc.isClosed()) await this.#nc.close().catch(() => undefined);
  }
}
