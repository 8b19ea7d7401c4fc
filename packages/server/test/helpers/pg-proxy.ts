import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream?: Socket;
}

/**
 * A TCP proxy on 127.0.0.1 (port 0) in front of the test PostgreSQL, so a test can take the
 * database away from one server without stopping the machine's PostgreSQL, which other tests
 * use. `cut()`: every connection is reset and new ones are reset at once (PostgreSQL stopped or
 * restarting); `stall()`: connections stay open and new ones are accepted, but no byte passes
 * (a host that drops packets: only timeouts notice); `restore()`: forward again (stalled
 * connections are reset first, as a healed network would find them timed out).
 */
export class PgProxy {
  readonly #server: Server;
  readonly #target: URL;
  readonly #pairs = new Set<Pair>();
  #mode: 'up' | 'cut' | 'stall' = 'up';
  /** connections accepted since start, whatever the mode */
  accepted = 0;

  private constructor(server: Server, target: URL) {
    this.#server = server;
    this.#target = target;
    server.on('connection', (client) => this.#accept(client));
  }

  /** A proxy to the database of `targetUrl` (a postgres:// URL). */
  static async start(targetUrl: string): Promise<PgProxy> {
    const server = createServer();
    const proxy = new PgProxy(server, new URL(targetUrl));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  /** The target's URL (user, password, database) with the proxy's address in place of its host. */
  get url(): string {
    const addr = this.#server.address();
    const u = new URL(this.#target);
    u.hostname = '127.0.0.1';
    u.port = String(typeof addr === 'object' && addr ? addr.port : 0);
    return u.toString();
  }

  /** Connections open through the proxy now. */
  get open(): number {
    return this.#pairs.size;
  }

  cut(): void {
    this.#mode = 'cut';
    for (const p of this.#pairs) this.#reset(p);
  }

  stall(): void {
    this.#mode = 'stall';
    for (const p of this.#pairs) {
      p.client.unpipe();
      p.upstream?.unpipe();
      p.client.pause();
      p.upstream?.pause();
    }
  }

  restore(): void {
    if (this.#mode === 'stall') for (const p of this.#pairs) this.#reset(p);
    this.#mode = 'up';
  }

  async close(): Promise<void> {
    for (const p of this.#pairs) this.#reset(p);
    this.#server.close();
    await once(this.#server, 'close');
  }

  #accept(client: Socket): void {
    this.accepted++;
    client.on('error', () => undefined);
    if (this.#mode === 'cut') return void client.resetAndDestroy();
    const pair: Pair = { client };
    this.#pairs.add(pair);
    client.once('close', () => {
      pair.upstream?.destroy();
      this.#pairs.delete(pair);
    });
    if (this.#mode === 'stall') return;
    const upstream = connect(Number(this.#target.port || 5432), this.#target.hostname);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  #reset(p: Pair): void {
    p.upstream?.destroy();
    p.client.resetAndDestroy();
    this.#pairs.delete(p);
  }
}
