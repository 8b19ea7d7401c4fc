import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { AppContext } from '../../app-context.ts';
import { nextConnectionId, type AgentConnection } from '../../realtime/agent-connection.ts';
import { savePingResult } from '../../ping/results.ts';
import { ingestReport, parseReport, ReportShapeError } from '../ingest.ts';
import { classifyFrame, errorFrame, v1Errors, v1PingResultSchema, type V1Frame } from './frames.ts';

type State = 'await-first' | 'loop' | 'ended';

/** Text and binary frames alike are read as UTF-8 JSON, as Komari does. */
function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/**
 * One v1 agent socket, the state machine of agent-protocol.md §6.1: AWAIT_FIRST (no deadline, not
 * online), REGISTER on the first frame (newest connection wins), LOOP under an 11 s read deadline
 * re-armed by data frames only, END (unregisters only its own registration). Error replies never
 * close the socket once registered.
 */
export class V1Session implements AgentConnection {
  readonly id = nextConnectionId();
  readonly protocol = 1 as const;
  readonly #app: AppContext;
  readonly #socket: WebSocket;
  /** the query `token` only: `?Authorization=` passes the gate but not this handler (§1.2) */
  readonly #token: string;
  readonly #log: FastifyBaseLogger;
  /** the node the gate found for this socket's credentials, while it awaits its first frame */
  readonly #gateUuid: string | undefined;
  #state: State = 'await-first';
  #uuid = '';
  #deadline: NodeJS.Timeout | undefined;
  #queue = Promise.resolve();

  constructor(app: AppContext, socket: WebSocket, token: string, log: FastifyBaseLogger, gateUuid?: string) {
    this.#app = app;
    this.#socket = socket;
    this.#token = token;
    this.#log = log;
    this.#gateUuid = gateUuid;
  }

  start(): void {
    const socket = this.#socket;
    // @fastify/websocket's own error listener terminates the socket at once, which can cut off
    // the 1009 close frame `ws` sends for an oversized frame; `ws` closes the socket itself.
    socket.removeAllListeners('error');
    socket.on('error', (err) => this.#log.debug({ err }, 'v1 agent socket error'));
    socket.on('message', (data) => {
      const text = textOf(data);
      // Frames are handled strictly in arrival order (the first one waits for the token lookup).
      this.#queue = this.#queue
        .then(() => this.#onFrame(text))
        .catch((err: unknown) => {
          this.#log.error({ err }, 'v1 agent frame failed');
          this.close(1011, 'internal error');
        });
    });
    socket.on('close', () => this.#end());
    if (this.#gateUuid !== undefined) this.#app.live.awaitFirstFrame(this.#gateUuid, this)?.close(1000, 'replaced by a newer connection');
  }

  send(text: string): boolean {
    if (this.#socket.readyState !== this.#socket.OPEN) return false;
    this.#socket.send(text);
    return true;
  }

  close(code = 1000, reason = ''): void {
    this.#end();
    if (this.#socket.readyState === this.#socket.OPEN || this.#socket.readyState === this.#socket.CONNECTING) {
      this.#socket.close(code, reason);
    }
  }

  async #onFrame(text: string): Promise<void> {
    if (this.#state === 'ended') return;
    const frame = classifyFrame(text);
    if (this.#state === 'await-first' && !(await this.#register(frame))) return;
    if (this.#state !== 'loop') return;
    this.#armDeadline();
    this.#handle(frame);
  }

  /** AWAIT_FIRST → REGISTER; false when the socket was refused (and is being closed). */
  async #register(frame: V1Frame): Promise<boolean> {
    if (frame.kind === 'invalid-json') return this.#refuse(v1Errors.invalidJson, 1007);
    const node = this.#token ? await this.#app.store.nodes.byToken(this.#token) : undefined;
    if (this.#state === 'ended') return false;
    if (!node) return this.#refuse(v1Errors.noToken, 1008);
    this.#uuid = node.uuid;
    this.#state = 'loop';
    this.#stopAwaiting();
    const replaced = this.#app.live.registerSocket(node.uuid, this);
    replaced?.close(1000, 'replaced by a newer connection');
    return true;
  }

  #refuse(message: string, code: number): false {
    this.send(errorFrame(message));
    this.close(code);
    return false;
  }

  #handle(frame: V1Frame): void {
    switch (frame.kind) {
      case 'invalid-json':
        this.send(errorFrame(v1Errors.invalidJson));
        return;
      case 'report':
        this.#ingest(frame.value);
        return;
      case 'ping_result':
        this.#pingResult(frame.value);
        return;
      case 'unknown':
        this.#log.debug({ type: frame.type, uuid: this.#uuid }, 'v1 agent sent an unknown message type');
        this.send(errorFrame(v1Errors.unknownType));
    }
  }

  /** Like Komari, a stored result gets no reply; a malformed one changes nothing. */
  #pingResult(raw: unknown): void {
    const parsed = v1PingResultSchema.safeParse(raw);
    if (!parsed.success) {
      this.send(errorFrame(v1Errors.invalidPingResult));
      return;
    }
    try {
      savePingResult(this.#app, this.#uuid, parsed.data);
    } catch (err) {
      this.#log.error({ err, uuid: this.#uuid }, 'ping result not saved');
      this.send(errorFrame(v1Errors.savePingResult));
    }
  }

  #ingest(raw: unknown): void {
    try {
      ingestReport(this.#app, this.#uuid, parseReport(raw), { presence: false, protocol: 1 });
    } catch (err) {
      if (err instanceof ReportShapeError) this.send(errorFrame(v1Errors.invalidReport));
      else this.send(errorFrame((err as Error).message));
    }
  }

  #armDeadline(): void {
    clearTimeout(this.#deadline);
    this.#deadline = setTimeout(() => {
      // Komari's read error ends the session and drops the connection without a close frame.
      this.#end();
      this.#socket.terminate();
    }, this.#app.limits.agents.readDeadlineMs);
    this.#deadline.unref();
  }

  #stopAwaiting(): void {
    if (this.#gateUuid !== undefined) this.#app.live.stopAwaitingFirst(this.#gateUuid, this);
  }

  /** END: stops the deadline and unregisters, only if the registry still points at this socket. */
  #end(): void {
    if (this.#state === 'ended') return;
    const registered = this.#state === 'loop';
    this.#state = 'ended';
    this.#stopAwaiting();
    clearTimeout(this.#deadline);
    if (registered) this.#app.live.unregisterSocket(this.#uuid, this);
  }
}
