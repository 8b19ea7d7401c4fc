import type { WireSocket } from '../wire/websocket.ts';
import type { Collector } from '../types.ts';
import { eventsOf } from './commands.ts';
import { requestId } from './endpoints.ts';
import { ProtocolFailure, sleep } from './failures.ts';
import { errorText, type Logger } from './log.ts';
import { postV2, type PostContext } from './rpc-post.ts';
import type { CommandRunner } from './runner.ts';

/** The official agent's HTTP timeout for reports and long-polls (the server holds a pull 25 s). */
const postTimeoutMs = 35_000;
/** A pull answered sooner than this without events is a server that does not hold: pause. */
const shortPullMs = 1000;

export interface PostModeDeps {
  post: PostContext;
  collector: Collector;
  runner: CommandRunner;
  log: Logger;
  signal: AbortSignal;
  intervalMs: number;
  reconnectMs: number;
  /** sent with every `agent.pull` (capabilities.ts) */
  capabilities: readonly string[];
  /** tries the v2 socket again */
  dialV2(signal: AbortSignal): Promise<WireSocket>;
}

/** How the POST fallback ended: the socket opened, the v1 fallback is due, or the agent stops. */
export type PostModeEnd = { kind: 'socket'; ws: WireSocket } | { kind: 'v1' } | { kind: 'stopped' };

interface Run {
  d: PostModeDeps;
  signal: AbortSignal;
  finish(end: PostModeEnd): void;
}

/** A protocol failure that reaches the threshold ends POST mode for v1 (agent-protocol.md §8). */
function failed(run: Run, what: string, err: unknown): void {
  if (run.signal.aborted) return;
  run.d.log.warn(`${what} over POST failed: ${errorText(err)}`);
  if (err instanceof ProtocolFailure && run.d.post.failures.reached) run.finish({ kind: 'v1' });
}

async function reportOnce(run: Run): Promise<void> {
  const { d, signal } = run;
  let report;
  try {
    report = await d.collector.report();
  } catch (err) {
    return d.log.warn(`report not collected: ${errorText(err)}`);
  }
  const acks = d.runner.pendingAcks();
  try {
    const params = { report, ack_event_ids: acks };
    const result = await postV2(d.post, 'agent.report', params, { id: requestId('report'), timeoutMs: postTimeoutMs, counted: true, signal });
    d.runner.acked(acks);
    d.runner.takeEvents(eventsOf(result));
  } catch (err) {
    failed(run, 'report', err);
  }
}

async function reportLoop(run: Run): Promise<void> {
  while (!run.signal.aborted) {
    const started = Date.now();
    await reportOnce(run);
    await sleep(Math.max(0, run.d.intervalMs - (Date.now() - started)), run.signal);
  }
}

/** Exactly one `agent.pull` in flight; the next right after an answer, or after a pause on failure. */
async function pullLoop(run: Run): Promise<void> {
  const { d, signal } = run;
  let lastEventId = '';
  while (!signal.aborted) {
    const acks = d.runner.pendingAcks();
    const started = Date.now();
    try {
      const params = { capabilities: d.capabilities, ack_event_ids: acks, last_event_id: lastEventId };
      const result = await postV2(d.post, 'agent.pull', params, { id: requestId('pull'), timeoutMs: postTimeoutMs, counted: true, signal });
      d.runner.acked(acks);
      const events = eventsOf(result);
      lastEventId = events.at(-1)?.id ?? lastEventId;
      d.runner.takeEvents(events);
      if (events.length === 0 && Date.now() - started < shortPullMs) await sleep(shortPullMs, signal);
    } catch (err) {
      failed(run, 'pull', err);
      await sleep(d.reconnectMs, signal);
    }
  }
}

/** Every reconnect interval, the v2 socket again; an open one ends POST mode. */
async function socketLoop(run: Run): Promise<void> {
  const { d, signal } = run;
  for (;;) {
    await sleep(d.reconnectMs, signal);
    if (signal.aborted) return;
    try {
      const ws = await d.dialV2(signal);
      d.post.failures.reset();
      return run.finish({ kind: 'socket', ws });
    } catch (err) {
      if (err instanceof ProtocolFailure) d.post.failures.fail();
      if (!signal.aborted) d.log.debug(`v2 socket still unavailable: ${errorText(err)}`);
    }
  }
}

/**
 * The POST fallback of a v2 agent whose socket cannot be opened (§8 POST_FALLBACK): reports by
 * `agent.report` requests every interval (with the pending acks), one `agent.pull` long-poll at a
 * time, and a socket attempt every reconnect interval.
 */
export async function runPostMode(d: PostModeDeps): Promise<PostModeEnd> {
  const ac = new AbortController();
  const stop = () => ac.abort();
  d.signal.addEventListener('abort', stop, { once: true });
  let end: PostModeEnd | undefined;
  const run: Run = {
    d,
    signal: ac.signal,
    finish(e) {
      if (end) {
        if (e.kind === 'socket') e.ws.terminate();
        return;
      }
      end = e;
      ac.abort();
    },
  };
  await Promise.all([reportLoop(run), pullLoop(run), socketLoop(run)]);
  d.signal.removeEventListener('abort', stop);
  return end ?? { kind: 'stopped' };
}
