import http from 'node:http';

export interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * POSTs over keep-alive connections (node:http, lighter than fetch for thousands of requests a
 * second). Every request has a timeout, so nothing waits forever.
 */
export class HttpClient {
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  readonly #host: string;
  readonly #port: number;
  readonly #timeoutMs: number;

  constructor(base: string, timeoutMs = 10_000) {
    const u = new URL(base);
    this.#host = u.hostname;
    this.#port = Number(u.port);
    this.#timeoutMs = timeoutMs;
  }

  post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.#host,
          port: this.#port,
          path,
          method: 'POST',
          agent: this.#agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
          timeout: this.#timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** GET, for the read benchmarks; resolves with the status, body and elapsed ms. */
  get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer & { ms: number }> {
    const t = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.#host, port: this.#port, path, agent: this.#agent, headers, timeout: this.#timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
