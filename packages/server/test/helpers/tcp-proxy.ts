import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A TCP forwarder on 127.0.0.1 standing in for the load balancer in front of replicas: an agent
 * dials it, and it forwards to the port it points at now. Pointed at nothing, it closes every new
 * connection at once (no replica healthy yet), so the agent's own retry loop is what reconnects.
 */
export class TcpProxy {
  readonly #server = createServer((client) => this.#forward(client));
  readonly #sockets = new Set<Socket>();
  #target: number | undefined;
  /** connections forwarded, per target port */
  readonly forwarded = new Map<number, number>();

  private constructor(target: number | undefined) {
    this.#target = target;
  }

  static async start(target?: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    proxy.#server.listen(0, '127.0.0.1');
    await once(proxy.#server, 'listening');
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Where new connections go; those open stay where they are (they end with their peer). */
  pointTo(target: number | undefined): void {
    this.#target = target;
  }

  #forward(client: Socket): void {
    const target = this.#target;
    if (target === undefined) return void client.destroy();
    this.forwarded.set(target, (this.forwarded.get(target) ?? 0) + 1);
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.#sockets.add(s);
      // either side gone (a replica killed: the kernel closes its end) ends the pair
      s.once('close', () => {
        this.#sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise((r) => this.#server.close(r));
  }
}
