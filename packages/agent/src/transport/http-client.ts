import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { NetworkError } from './failures.ts';

const gzipAsync = promisify(gzip);

/** Answers larger than this are cut off: agent routes answer a few KB at most. */
const maxAnswerBytes = 4 * 1024 * 1024;

export const userAgent = 'komari-ts-agent/0.1.0';

export interface PostOptions {
  /** gzip the body (v2 POSTs unless --disable-compression) */
  gzip?: boolean;
  timeoutMs: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
}

function readAnswer(res: IncomingMessage): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxAnswerBytes) chunks.push(chunk);
    });
    res.on('end', () =>
      resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }),
    );
    res.on('error', (err) => reject(new NetworkError(err.message)));
    res.on('aborted', () => reject(new NetworkError('answer cut off')));
  });
}

/**
 * JSON POSTs to the server over keep-alive connections (a POST-only agent reports every second).
 * Every transport problem (refused, reset, timeout, abort) is a NetworkError; any HTTP answer,
 * whatever its status, resolves.
 */
export class HttpClient {
  readonly #http = new HttpAgent({ keepAlive: true, maxSockets: 4 });
  readonly #https: HttpsAgent;
  readonly #family: 4 | 6 | undefined;

  /** `insecure`: --ignore-unsafe-cert; `family`: --prefer-ip-version */
  constructor(insecure: boolean, family?: 4 | 6) {
    this.#https = new HttpsAgent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: !insecure });
    this.#family = family;
  }

  async post(url: string, body: unknown, o: PostOptions): Promise<HttpAnswer> {
    const json = Buffer.from(JSON.stringify(body));
    const payload = o.gzip ? await gzipAsync(json) : json;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'content-length': String(payload.length),
      'user-agent': userAgent,
      ...(o.gzip ? { 'content-encoding': 'gzip' } : {}),
      ...o.headers,
    };
    return this.#send(new URL(url), headers, payload, o);
  }

  #send(url: URL, headers: Record<string, string>, payload: Buffer, o: PostOptions): Promise<HttpAnswer> {
    if (o.signal?.aborted) return Promise.reject(new NetworkError('aborted'));
    const secure = url.protocol === 'https:';
    const request = secure ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const agent = secure ? this.#https : this.#http;
      const req = request(url, { method: 'POST', headers, agent, ...(this.#family ? { family: this.#family } : {}) });
      const fail = (message: string) => {
        cleanup();
        req.destroy();
        reject(new NetworkError(message));
      };
      const timer = setTimeout(() => fail(`no answer within ${o.timeoutMs} ms`), o.timeoutMs);
      const onAbort = () => fail('aborted');
      const cleanup = () => {
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
      };
      o.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => fail(err.message));
      req.on('response', (res) => {
        readAnswer(res).then(
          (a) => (cleanup(), resolve(a)),
          (err: unknown) => fail((err as Error).message),
        );
      });
      req.end(payload);
    });
  }

  /** Closes idle keep-alive connections (at stop). */
  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}
