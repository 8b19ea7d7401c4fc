import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { openConnection, requestHead } from '../wire/connect.ts';
import { exchange, type ExchangeError, type ExchangeOptions } from '../wire/exchange.ts';
import { ResponseReader } from '../wire/http-response.ts';
import { NetworkError } from './failures.ts';

/** Answers larger than this are cut off: agent routes answer a few KB at most. */
const maxAnswerBytes = 4 * 1024 * 1024;
/** An idle connection is dropped before Node's 5 s keep-alive timeout can close it under a request. */
const maxIdleMs = 4000;

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

/** A kept-alive connection closed by the server before it answered: the request is sent again. */
class StaleConnection extends Error {}

interface Idle {
  socket: Socket;
  since: number;
  /** our listeners while idle (Node's own stay on the socket) */
  drop: () => void;
}

/**
 * JSON POSTs to the server over kept-alive HTTP/1.1 connections (a POST-only agent reports every
 * second), written on node:net rather than node:http, which with its parser and agent costs the
 * agent ~4 MiB of RSS (BENCHMARKS.md, Agent). Every transport problem (refused, reset, timeout,
 * abort, an answer that is not HTTP) is a NetworkError; any HTTP answer, whatever its status,
 * resolves.
 */
export class HttpClient {
  readonly #idle = new Map<string, Idle>();
  readonly #insecure: boolean;
  readonly #family: 4 | 6 | undefined;

  /** `insecure`: --ignore-unsafe-cert; `family`: --prefer-ip-version */
  constructor(insecure: boolean, family?: 4 | 6) {
    this.#insecure = insecure;
    this.#family = family;
  }

  async post(url: string, body: unknown, o: PostOptions): Promise<HttpAnswer> {
    const json = Buffer.from(JSON.stringify(body));
    // sync: a report is a few KB, and the async form would start libuv's thread pool for it
    const payload = o.gzip ? gzipSync(json) : json;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Content-Length': String(payload.length),
      'User-Agent': userAgent,
      ...(o.gzip ? { 'Content-Encoding': 'gzip' } : {}),
      ...o.headers,
    };
    return this.#send(new URL(url), headers, payload, o);
  }

  /** Closes idle keep-alive connections (at stop). */
  close(): void {
    for (const { socket } of this.#idle.values()) socket.destroy();
    this.#idle.clear();
  }

  async #send(url: URL, headers: Record<string, string>, payload: Buffer, o: PostOptions): Promise<HttpAnswer> {
    if (o.signal?.aborted) throw new NetworkError('aborted');
    const limits: ExchangeOptions = { deadline: Date.now() + o.timeoutMs, timeoutMs: o.timeoutMs, ...(o.signal ? { signal: o.signal } : {}) };
    const request = Buffer.concat([Buffer.from(requestHead('POST', url, headers), 'latin1'), payload]);
    const reused = this.#takeIdle(url.origin);
    if (reused) {
      try {
        return await this.#exchange(reused, url.origin, request, limits, true);
      } catch (err) {
        if (!(err instanceof StaleConnection)) throw err;
      }
    }
    let socket: Socket;
    try {
      const timeoutMs = Math.max(1, limits.deadline - Date.now());
      socket = await openConnection(url, { insecure: this.#insecure, ...(this.#family ? { family: this.#family } : {}), timeoutMs, signal: o.signal });
    } catch (err) {
      throw new NetworkError((err as Error).message);
    }
    return this.#exchange(socket, url.origin, request, limits, false);
  }

  #takeIdle(origin: string): Socket | undefined {
    const idle = this.#idle.get(origin);
    if (!idle) return undefined;
    this.#idle.delete(origin);
    for (const event of ['data', 'end', 'error', 'close']) idle.socket.off(event, idle.drop);
    if (idle.socket.destroyed || Date.now() - idle.since > maxIdleMs) {
      idle.socket.destroy();
      return undefined;
    }
    idle.socket.ref();
    return idle.socket;
  }

  #keepIdle(origin: string, socket: Socket): void {
    this.#idle.get(origin)?.socket.destroy();
    const drop = () => {
      socket.destroy();
      if (this.#idle.get(origin)?.socket === socket) this.#idle.delete(origin);
    };
    socket.on('data', drop).on('end', drop).on('error', drop).on('close', drop);
    socket.unref();
    this.#idle.set(origin, { socket, since: Date.now(), drop });
  }

  /** One request and its answer on `socket`; the socket is kept for the next one when it can be. */
  async #exchange(socket: Socket, origin: string, request: Buffer, limits: ExchangeOptions, reused: boolean): Promise<HttpAnswer> {
    const reader = new ResponseReader({ method: 'POST', maxBodyBytes: maxAnswerBytes });
    try {
      await exchange(socket, request, reader, limits);
    } catch (err) {
      const e = err as ExchangeError;
      throw reused && e.closedUnanswered ? new StaleConnection(e.message) : new NetworkError(e.message);
    }
    const head = reader.head!;
    if (head.keepAlive && reader.leftover.length === 0 && !socket.destroyed) this.#keepIdle(origin, socket);
    else socket.destroy();
    return { status: head.status, contentType: head.headers.get('content-type') ?? '', text: reader.body().toString('utf8') };
  }
}
