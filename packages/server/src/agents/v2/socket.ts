import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../../app-context.ts';
import { serveInOrder } from '../../http/ws-serial.ts';
import { nextConnectionId, type AgentConnection } from '../../realtime/agent-connection.ts';
import { decodeRequest, V2Code, v2Error } from './envelope.ts';
import { agentUuidOf } from './identity.ts';
import { handleV2Request } from './methods.ts';

interface Session {
  uuid: string;
  conn: AgentConnection;
}

/** Komari's read deadline: no data frame for `ms` drops the socket; control frames do not count. */
class ReadDeadline {
  readonly #socket: WebSocket;
  readonly #ms: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(socket: WebSocket, ms: number) {
    this.#socket = socket;
    this.#ms = ms;
    this.rearm();
  }

  rearm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#socket.terminate(), this.#ms);
    this.#timer.unref();
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}

function send(socket: WebSocket, value: unknown): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(value));
}

function connectionOf(socket: WebSocket): AgentConnection {
  return {
    id: nextConnectionId(),
    protocol: 2,
    send(text) {
      if (socket.readyState !== socket.OPEN) return false;
      socket.send(text);
      return true;
    },
    close: (code, reason) => socket.close(code, reason),
  };
}

/**
 * Registers the socket for its node at once (newest connection wins: the replaced one is closed),
 * then pushes every queued event as a notification without its id; written events are delivered.
 * Without a client identity: one -32001 frame, then close.
 */
function open(app: AppContext, socket: WebSocket, uuid: string | undefined): Session | undefined {
  if (socket.readyState !== socket.OPEN) return undefined;
  if (!uuid) {
    send(socket, v2Error(undefined, V2Code.InvalidToken, 'invalid token'));
    socket.close();
    return undefined;
  }
  const conn = connectionOf(socket);
  app.live.registerSocket(uuid, conn)?.close(1000, 'replaced by a newer connection');
  for (const e of app.events.drain(uuid)) send(socket, { jsonrpc: '2.0', method: e.method, params: e.params });
  return { uuid, conn };
}

/**
 * One frame, one JSON-RPC object (§7.2): a reply only for a request with a non-null id, except
 * that an undecodable frame always gets a parse error without id. Errors never close the socket.
 */
async function answerFrame(app: AppContext, uuid: string, text: string): Promise<string | undefined> {
  const decoded = decodeRequest(text);
  if (!decoded.ok) return JSON.stringify(v2Error(undefined, V2Code.ParseError, 'parse error', decoded.data));
  const res = await handleV2Request({ app, uuid, transport: 'ws' }, decoded.request);
  return decoded.request.id === undefined ? undefined : JSON.stringify(res);
}

/**
 * Serves one upgraded v2 agent socket; frames are answered strictly in arrival order, and an
 * agent that sends without reading its answers is held back (limits.agents).
 */
export function serveV2Socket(app: AppContext, socket: WebSocket, request: FastifyRequest): void {
  socket.on('error', (err) => app.log.debug({ err }, 'v2 agent socket error'));
  const deadline = new ReadDeadline(socket, app.limits.agents.readDeadlineMs);
  const session = agentUuidOf(app, request)
    .then((uuid) => open(app, socket, uuid))
    .catch((err: unknown) => {
      app.log.error({ err }, 'v2 agent socket setup failed');
      socket.terminate();
      return undefined;
    });
  socket.on('message', () => deadline.rearm());
  serveInOrder(socket, request.log, 'v2 agent socket', app.limits.agents, async (text) => {
    const s = await session;
    return s ? answerFrame(app, s.uuid, text) : undefined;
  });
  socket.on('close', () => {
    deadline.clear();
    void session.then((s) => s && app.live.unregisterSocket(s.uuid, s.conn));
  });
}
