import WebSocket from 'ws';
import { AgentSocket, sampleReport } from './agent-common.ts';
import type { TestServer } from './server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

export function v1SocketUrl(s: TestServer, query: string): string {
  return `${s.url.replace(/^http/, 'ws')}/api/clients/report${query}`;
}

/**
 * A protocol-level v1 agent: the `ws` client (which offers permessage-deflate, like the official
 * agent) on `/api/clients/report`; every frame it receives is queued, parsed as JSON.
 */
export class V1Agent extends AgentSocket {
  /** Connects with `?token=` (or the raw `query` given) and the optional headers. */
  static async connect(s: TestServer, token: string, o: { query?: string; headers?: Record<string, string> } = {}): Promise<V1Agent> {
    const agent = new V1Agent(new WebSocket(v1SocketUrl(s, o.query ?? `?token=${token}`), { headers: o.headers }));
    await agent.opened();
    return agent;
  }

  /** Sends a report frame: the sample report with `over`. */
  report(over: Record<string, unknown> = {}): void {
    this.send(sampleReport(over));
  }

  /** Sends one frame and returns the server's reply to it. */
  async ask(frame: unknown): Promise<any> {
    this.send(frame);
    return this.next();
  }
}
