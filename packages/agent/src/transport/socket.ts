import type { AgentConfig } from '../config.ts';
import type { Collector } from '../types.ts';
import { dialWebSocket, HandshakeRefused, type WireSocket } from '../wire/websocket.ts';
import { type Command, commandOfFrame, eventsOfFrame, type QueuedEvent } from './commands.ts';
import { requestId } from './endpoints.ts';
import { NetworkError, ProtocolFailure } from './failures.ts';
import { userAgent } from './http-client.ts';
import { errorText, type Logger } from './log.ts';

/** The official agent's handshake timeout and keep-alive ping period (agent-protocol.md §11.3). */
const handshakeTimeoutMs = 15_000;
const pingEveryMs = 30_000;

export interface DialOptions {
  /** offer permessage-deflate (the v1 route declines it; the v2 route accepts) */
  compression: boolean;
  insecure: boolean;
  /** --prefer-ip-version */
  family?: 4 | 6;
}

/** The dial options of the settings: compression, certificate check, preferred IP version. */
export function dialOptionsOf(c: Pick<AgentConfig, 'disableCompression' | 'ignoreUnsafeCert' | 'preferIpVersion'>): DialOptions {
  const family = c.preferIpVersion === '4' ? 4 : c.preferIpVersion === '6' ? 6 : undefined;
  return { compression: !c.disableCompression, insecure: c.ignoreUnsafeCert, ...(family ? { family } : {}) };
}

/**
 * Opens the report socket. A handshake answered with an HTTP status is a ProtocolFailure;
 * anything else that stops it (refused, reset, timeout, stop) is a NetworkError.
 */
export async function dialSocket(url: string, o: DialOptions, signal: AbortSignal): Promise<WireSocket> {
  try {
    return await dialWebSocket(url, {
      compression: o.compression,
      insecure: o.insecure,
      ...(o.family ? { family: o.family } : {}),
      timeoutMs: handshakeTimeoutMs,
      headers: { 'User-Agent': userAgent },
      signal,
    });
  } catch (err) {
    if (err instanceof HandshakeRefused) throw new ProtocolFailure(err.message, err.status);
    throw new NetworkError(signal.aborted ? 'stopped' : (err as Error).message);
  }
}

export interface SessionDeps {
  ws: WireSocket;
  protocol: 1 | 2;
  intervalMs: number;
  collector: Collector;
  log: Logger;
  signal: AbortSignal;
  onCommand(command: Command): void;
  /** v2: sent in one `agent.pull` as soon as the socket is open, so the server records them */
  capabilities?: readonly string[];
  /** the events of the answer to that pull */
  onEvents?(events: QueuedEvent[]): void;
  /** v2: queued events to ack, carried by the next report; `acked` once it is written */
  acks?: { pending(): string[]; acked(ids: readonly string[]): void };
}

/** Sends one JSON text frame; rejects when the socket is not open or the write fails. */
export function sendFrame(ws: WireSocket, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => ws.send(JSON.stringify(value), (err) => (err ? reject(err) : resolve())));
}

/** One report per call; a call while the previous one is still collecting or sending is skipped. */
function reporter(d: SessionDeps): () => Promise<void> {
  let busy = false;
  return async () => {
    if (busy) return;
    busy = true;
    try {
      const r = await d.collector.report();
      const acks = d.protocol === 2 ? (d.acks?.pending() ?? []) : [];
      const params = acks.length > 0 ? { report: r, ack_event_ids: acks } : { report: r };
      await sendFrame(d.ws, d.protocol === 2 ? { jsonrpc: '2.0', method: 'agent.report', params } : r).catch((err: unknown) => {
        d.ws.terminate();
        throw err;
      });
      if (acks.length > 0) d.acks?.acked(acks);
    } catch (err) {
      d.log.warn(`report not sent: ${errorText(err)}`);
    } finally {
      busy = false;
    }
  };
}

/** A ping frame per call; no pong since the previous one means a dead peer: cut the socket. */
function keepAlive(ws: WireSocket): () => void {
  let alive = true;
  ws.on('pong', () => (alive = true));
  return () => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  };
}

/**
 * An open report socket (the ACTIVE state of §8): on v2 first one `agent.pull` carrying the
 * capabilities (its answer's events are run like any), then a report at once and every interval
 * (v2: an `agent.report` notification, with pending acks; v1: the bare report), a ping frame every 30 s (no pong by the next
 * one ends the socket), commands handed on, everything else ignored. A failed write ends the
 * socket. Resolves when the socket has closed.
 */
export function runSession(d: SessionDeps): Promise<void> {
  const { ws, log } = d;
  const report = reporter(d);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    const text = isBinary ? '' : data.toString('utf8');
    const command = commandOfFrame(text);
    if (command) return d.onCommand(command);
    const events = d.protocol === 2 ? eventsOfFrame(text) : undefined;
    if (events) d.onEvents?.(events);
    else log.debug(`ignored a frame from the server: ${text.slice(0, 120)}`);
  });
  if (d.protocol === 2 && d.capabilities) {
    const params = { capabilities: d.capabilities, ack_event_ids: d.acks?.pending() ?? [] };
    sendFrame(ws, { jsonrpc: '2.0', method: 'agent.pull', id: requestId('pull'), params }).catch((err: unknown) =>
      log.warn(`capabilities not sent: ${errorText(err)}`),
    );
  }
  const timers = [setInterval(() => void report(), d.intervalMs), setInterval(keepAlive(ws), pingEveryMs)];
  // a dead server never answers the close frame: close() cuts the socket a moment later
  const onAbort = () => ws.close(1000);
  d.signal.addEventListener('abort', onAbort, { once: true });
  void report();
  return new Promise((resolve) => {
    const end = () => {
      for (const t of timers) clearInterval(t);
      d.signal.removeEventListener('abort', onAbort);
      resolve();
    };
    if (ws.isClosed) end();
    else ws.once('close', end);
  });
}
