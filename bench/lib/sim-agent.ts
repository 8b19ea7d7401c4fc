import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import type { HttpClient } from './http-client.ts';
import { probeMessage, SimHost } from './report-gen.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const kinds = ['v2ws', 'v1ws', 'v2post', 'v1post'] as const;
export type Kind = (typeof kinds)[number];

export interface Counters {
  sent: number;
  failed: number;
  /** POST agents whose previous report was still unanswered at their next tick */
  skipped: number;
  pingResults: number;
  /** sockets that closed while the fleet was running */
  dropped: number;
  errors: Record<string, number>;
}

export interface AgentEnv {
  http: HttpClient;
  wsBase: string;
  counters: Counters;
  intervalS: number;
}

function fail(c: Counters, reason: string): void {
  c.failed++;
  c.errors[reason] = (c.errors[reason] ?? 0) + 1;
}

const rpc = (method: string, params: unknown, id?: number) => JSON.stringify(id === undefined ? { jsonrpc: '2.0', method, params } : { jsonrpc: '2.0', method, params, id });

/**
 * One simulated agent, speaking as the official agent does: basic info by POST at start (v2
 * gzipped, as a notification), then reports. v2 sockets offer permessage-deflate and, like
 * gorilla once it is negotiated, compress every frame; v1 sockets offer it too and the server
 * declines. Ping commands from the server are answered with a result.
 */
export class SimAgent {
  readonly host: SimHost;
  readonly kind: Kind;
  readonly #env: AgentEnv;
  readonly #token: string;
  #ws: WebSocket | undefined;
  #inFlight = false;
  #acks: string[] = [];
  #seq = 0;
  #closing = false;

  constructor(env: AgentEnv, index: number, token: string, kind: Kind) {
    this.#env = env;
    this.host = new SimHost(index);
    this.#token = token;
    this.kind = kind;
  }

  async start(): Promise<void> {
    const info = this.host.basicInfo();
    const res = this.kind.startsWith('v1')
      ? await this.#env.http.post(`/api/clients/uploadBasicInfo?token=${this.#token}`, JSON.stringify(info))
      : await this.#env.http.post(`/api/clients/v2/rpc?token=${this.#token}`, gzipSync(rpc('agent.basicInfo', { info })), { 'content-encoding': 'gzip' });
    if (res.status !== 200) throw new Error(`basic info refused: ${res.status} ${res.text}`);
    if (this.kind === 'v1ws') await this.#connect('/api/clients/report', { threshold: 1024 });
    if (this.kind === 'v2ws') await this.#connect('/api/clients/v2/rpc', { threshold: 0 });
  }

  #connect(path: string, deflate: { threshold: number }): Promise<void> {
    const ws = new WebSocket(`${this.#env.wsBase}${path}?token=${this.#token}`, {
      perMessageDeflate: { serverNoContextTakeover: true, clientNoContextTakeover: true, ...deflate },
    });
    this.#ws = ws;
    ws.on('message', (data) => this.#onFrame(data.toString()));
    ws.on('close', () => {
      if (!this.#closing) this.#env.counters.dropped++;
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  }

  #onFrame(text: string): void {
    let m: any;
    try {
      m = JSON.parse(text);
    } catch {
      return fail(this.#env.counters, 'unparsable frame');
    }
    if (m.status === 'error' || m.error) return fail(this.#env.counters, `error frame: ${JSON.stringify(m.error ?? m)}`.slice(0, 120));
    if (typeof m.ping_task_id === 'number') this.#pingResult(m.ping_task_id, m.ping_type);
    else if (m.method === 'agent.ping') this.#pingResult(m.params?.ping_task_id, m.params?.ping_type);
  }

  #pingResult(taskId: number, type: string): void {
    const value = 5 + Math.floor(this.host.index % 50) + Math.floor(Math.random() * 10);
    const result = { task_id: taskId, value, ping_type: type, finished_at: new Date().toISOString() };
    this.#env.counters.pingResults++;
    if (this.kind === 'v1ws') this.#ws?.send(JSON.stringify({ type: 'ping_result', ...result }));
    else if (this.kind === 'v2ws') this.#ws?.send(rpc('agent.pingResult', result));
    else {
      const body = gzipSync(rpc('agent.pingResult', result, ++this.#seq));
      void this.#env.http
        .post(`/api/clients/v2/rpc?token=${this.#token}`, body, { 'content-encoding': 'gzip' })
        .then((res) => res.status !== 200 && fail(this.#env.counters, `ping result HTTP ${res.status}`))
        .catch((err: unknown) => fail(this.#env.counters, (err as Error).message));
    }
  }

  /** Sends the next report; POST agents skip a tick while their previous report is unanswered. */
  report(): void {
    const c = this.#env.counters;
    const report = this.host.next(this.#env.intervalS, probeMessage(this.host.index, Date.now()));
    if (this.kind === 'v1ws' || this.kind === 'v2ws') {
      if (this.#ws?.readyState !== WebSocket.OPEN) return fail(c, 'socket not open');
      c.sent++;
      this.#ws.send(this.kind === 'v1ws' ? JSON.stringify(report) : rpc('agent.report', { report }));
      return;
    }
    if (this.#inFlight) {
      c.skipped++;
      return;
    }
    c.sent++;
    if (this.kind === 'v1post') {
      void this.#post(JSON.stringify(report), false);
    } else {
      const acks = this.#acks;
      this.#acks = [];
      void this.#post(gzipSync(rpc('agent.report', { report, ack_event_ids: acks }, ++this.#seq)), true);
    }
  }

  async #post(body: string | Buffer, v2: boolean): Promise<void> {
    const c = this.#env.counters;
    this.#inFlight = true;
    try {
      const res = v2
        ? await this.#env.http.post(`/api/clients/v2/rpc?token=${this.#token}`, body, { 'content-encoding': 'gzip' })
        : await this.#env.http.post(`/api/clients/report?token=${this.#token}`, body);
      if (res.status !== 200) return fail(c, `HTTP ${res.status}`);
      if (v2) this.#takeEvents(JSON.parse(res.text));
    } catch (err) {
      fail(c, (err as Error).message);
    } finally {
      this.#inFlight = false;
    }
  }

  /** Events returned with a v2 POST report: acked with the next report; pings answered now. */
  #takeEvents(answer: any): void {
    for (const e of answer?.result?.events ?? []) {
      this.#acks.push(String(e.id));
      if (e.method === 'agent.ping') this.#pingResult(e.params?.ping_task_id, e.params?.ping_type);
    }
  }

  close(): void {
    this.#closing = true;
    this.#ws?.close();
  }
}
