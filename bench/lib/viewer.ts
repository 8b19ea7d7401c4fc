import WebSocket from 'ws';
import { probePattern } from './report-gen.ts';

/**
 * A dashboard on `/api/clients`: asks `get` again as soon as each answer arrives (or every
 * `pollMs`), and for every node whose probe (`message` = `k<agent>:<send ms>`) is newer than
 * the last one seen, records now − send time. Only the newest report of a node is visible when
 * the viewer looks, so this samples the freshest reports; the time between two looks is part of
 * the figure, as it is for a real dashboard.
 */
export class LatencyViewer {
  readonly latencies: number[] = [];
  /** the same latencies by the group `groupOf` names for the agent (e.g. the replica it reports to) */
  readonly byGroup = new Map<string, number[]>();
  gets = 0;
  bytes = 0;
  readonly #ws: WebSocket;
  readonly #pollMs: number;
  readonly #groupOf: ((agent: number) => string) | undefined;
  readonly #last = new Map<number, number>();
  #windowStart = Infinity;
  #collecting = false;
  #closed = false;

  private constructor(ws: WebSocket, pollMs: number, groupOf?: (agent: number) => string) {
    this.#ws = ws;
    this.#pollMs = pollMs;
    this.#groupOf = groupOf;
    ws.on('message', (data) => this.#onAnswer(data.toString()));
    ws.on('error', () => {});
  }

  static async open(url: string, pollMs = 0, groupOf?: (agent: number) => string): Promise<LatencyViewer> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/clients`, { headers: { Origin: url } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const v = new LatencyViewer(ws, pollMs, groupOf);
    ws.send('get');
    return v;
  }

  #onAnswer(text: string): void {
    const now = Date.now();
    this.gets++;
    this.bytes += text.length;
    for (const m of text.matchAll(probePattern)) {
      const agent = Number(m[1]);
      const sentAt = Number(m[2]);
      if (sentAt <= (this.#last.get(agent) ?? 0)) continue;
      this.#last.set(agent, sentAt);
      if (!this.#collecting || sentAt < this.#windowStart) continue;
      this.latencies.push(now - sentAt);
      if (!this.#groupOf) continue;
      const group = this.#groupOf(agent);
      const list = this.byGroup.get(group) ?? [];
      if (list.length === 0) this.byGroup.set(group, list);
      list.push(now - sentAt);
    }
    if (this.#closed) return;
    const ask = () => this.#ws.readyState === WebSocket.OPEN && this.#ws.send('get');
    if (this.#pollMs > 0) setTimeout(ask, this.#pollMs);
    else ask();
  }

  /** Starts recording: only reports sent from now on count. */
  begin(): void {
    this.#windowStart = Date.now();
    this.#collecting = true;
    this.gets = 0;
    this.bytes = 0;
  }

  end(): void {
    this.#collecting = false;
  }

  close(): void {
    this.#closed = true;
    this.#ws.close();
  }
}
