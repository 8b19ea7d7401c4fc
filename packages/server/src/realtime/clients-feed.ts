import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../app-context.ts';
import { readCookie } from '../http/cookies.ts';

const invalidMessage = JSON.stringify({ status: 'error', error: 'Invalid message' });

/**
 * Admin iff the session cookie names a live session (public-api.md §6.14): the API key is not
 * honoured on this socket, as in Komari.
 */
async function isSessionAdmin(app: AppContext, request: FastifyRequest): Promise<boolean> {
  if (request.caller.kind === 'user') return true;
  return (await app.accounts.resolveSession(readCookie(request.headers.cookie, 'session_token'))) !== undefined;
}

/**
 * The `/api/clients` payload, built once per live-view version and visibility and shared by
 * every viewer that asks before the next report: the report fragments were serialised at ingest.
 */
export class FeedPayloads {
  readonly #app: AppContext;
  #version = -1;
  readonly #cache = new Map<string, string>();

  constructor(app: AppContext) {
    this.#app = app;
  }

  build(hidden: ReadonlySet<string>, hiddenKey: string, only?: string): string {
    const live = this.#app.live;
    if (only === undefined) {
      if (this.#version !== live.version) {
        this.#cache.clear();
        this.#version = live.version;
      }
      const hit = this.#cache.get(hiddenKey);
      if (hit) return hit;
    }
    const visible = (uuid: string) => !hidden.has(uuid) && (only === undefined || uuid === only);
    const online = live.onlineUuids().filter(visible);
    const parts: string[] = [];
    for (const s of live.latestAll()) if (visible(s.uuid)) parts.push(`${JSON.stringify(s.uuid)}:${s.feedJson}`);
    const json = `{"status":"success","data":{"online":${JSON.stringify(online)},"data":{${parts.join(',')}}}}`;
    if (only === undefined) this.#cache.set(hiddenKey, json);
    return json;
  }
}

/** WebSocket `/api/clients` (public-api.md §6.14): pull only; `get` or `get <uuid>`. */
export function registerClientsFeed(fastify: FastifyInstance, app: AppContext): void {
  const payloads = new FeedPayloads(app);
  fastify.route({
    method: 'GET',
    url: '/api/clients',
    handler: async (_request, reply) => reply.code(400).send({ status: 'error', error: 'Require WebSocket upgrade' }),
    wsHandler: (socket: WebSocket, request) => {
      // Visibility and the hidden set are fixed when the viewer connects, as in Komari.
      const ready = (async () => {
        if (await isSessionAdmin(app, request)) return { hidden: new Set<string>(), key: 'admin' };
        const hidden = new Set((await app.store.nodes.list()).filter((n) => n.hidden).map((n) => n.uuid));
        return { hidden, key: [...hidden].sort().join(',') };
      })();
      let queue = Promise.resolve();
      socket.on('message', (data) => {
        const text = data.toString();
        queue = queue.then(async () => {
          const { hidden, key } = await ready;
          let reply = invalidMessage;
          if (text === 'get' || text.startsWith('get ')) {
            const only = text.slice(4).trim();
            reply = payloads.build(hidden, key, only === '' ? undefined : only);
          }
          if (socket.readyState === socket.OPEN) socket.send(reply);
        });
      });
    },
  });
}
