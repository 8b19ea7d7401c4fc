import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../app-context.ts';
import { readCookie } from '../http/cookies.ts';
import { StoreUnavailable } from '../store/errors.ts';
import { serveInOrder } from '../http/ws-serial.ts';
import { refuseGuestsOverCap, watchViewer } from './viewer-sockets.ts';

const invalidMessage = Buffer.from(JSON.stringify({ status: 'error', error: 'Invalid message' }));

/** What one viewer may see: hidden nodes are left out for guests. */
interface Visibility {
  hidden: ReadonlySet<string>;
  /** the cache key of that visibility in FeedPayloads */
  key: string;
}

const adminView: Visibility = { hidden: new Set(), key: 'admin' };

async function guestView(app: AppContext): Promise<Visibility> {
  const hidden = new Set((await app.store.nodes.list()).filter((n) => n.hidden).map((n) => n.uuid));
  return { hidden, key: [...hidden].sort().join(',') };
}

/**
 * The visibility of one viewer at each `get`. Admin iff the session cookie names a live session
 * (public-api.md §6.14: the API key is not honoured on this socket, as in Komari), looked up again
 * on every `get` so that a viewer whose session ended sees what a guest sees. A guest's hidden set
 * is fixed once, as in Komari. While PostgreSQL is down the live view goes on: an admin stays
 * one until the session's expiry last read (nothing else can end a session then: logout and
 * password changes need the database), and a viewer that connects meanwhile is a guest.
 */
function viewerVisibility(app: AppContext, request: FastifyRequest): () => Promise<Visibility> {
  const token = readCookie(request.headers.cookie, 'session_token');
  let guest: Promise<Visibility> | undefined;
  const asGuest = () => (guest ??= guestView(app));
  let expires = 0;
  const isAdmin = async (): Promise<boolean> => {
    try {
      const found = await app.accounts.resolveSession(token);
      expires = found?.session.expires ?? 0;
      return found !== undefined;
    } catch (err) {
      if (!(err instanceof StoreUnavailable)) throw err;
      return app.clock.now() <= expires;
    }
  };
  const atConnect = isAdmin().then((found) => (found ? adminView : asGuest()));
  // Marked handled here; a failure surfaces at the first `get`, which closes the socket.
  atConnect.catch(() => {});
  let admin = true;
  return async () => {
    if ((await atConnect) !== adminView || !admin) return asGuest();
    admin = await isAdmin();
    return admin ? adminView : asGuest();
  };
}

/**
 * While only report figures change, a built payload is reused for this many times as long as it
 * took to build: building then costs at most ~5 % of a core per visibility class, whatever the
 * number of viewers. A small fleet builds in microseconds, so its viewers see every report.
 */
export const feedReuseFactor = 20;
/**
 * …and never for longer than this: at 5,000 nodes a build takes 10–20 ms, and 21 builds' time
 * showed figures ~440 ms old at the median. With 100 ms: p50 115–125 ms, builds ≤ ~15 % of a core
 * while a dashboard polls flat out (BENCHMARKS.md).
 */
export const feedReuseMaxMs = 100;
/** Below this many nodes a build is cheap: every change is shown at once, deterministically. */
export const feedReuseMinNodes = 500;

/**
 * The `/api/clients` payload, built once and shared by every viewer of the same visibility: the
 * report fragments are serialised once per report. It is rebuilt at once when a node goes online or
 * offline; while only figures change, at most as often as `feedReuseFactor` allows.
 */
export class FeedPayloads {
  readonly #app: AppContext;
  readonly #cache = new Map<string, { json: Buffer; version: number; onlineVersion: number; reuseUntil: number }>();

  constructor(app: AppContext) {
    this.#app = app;
  }

  /**
   * The payload as UTF-8 bytes: encoded once per build, not once per viewer (a 1,000-node
   * payload is ~500 KB), and sent as a text frame.
   */
  build(hidden: ReadonlySet<string>, hiddenKey: string, only?: string): Buffer {
    const live = this.#app.live;
    if (only !== undefined) return Buffer.from(this.#render(hidden, only));
    const hit = this.#cache.get(hiddenKey);
    const now = performance.now();
    if (
      hit &&
      hit.onlineVersion === live.onlineVersion &&
      (hit.version === live.version || now < hit.reuseUntil)
    ) {
      return hit.json;
    }
    const json = Buffer.from(this.#render(hidden));
    const cost = performance.now() - now;
    const reuseUntil = live.latestCount >= feedReuseMinNodes ? now + Math.min(cost * (feedReuseFactor + 1), feedReuseMaxMs) : 0;
    this.#cache.set(hiddenKey, { json, version: live.version, onlineVersion: live.onlineVersion, reuseUntil });
    return json;
  }

  /** Komari's frame: `data` before `status` (a sorted Go map), nodes sorted by uuid. */
  #render(hidden: ReadonlySet<string>, only?: string): string {
    const live = this.#app.live;
    const visible = (uuid: string) => !hidden.has(uuid) && (only === undefined || uuid === only);
    const online = live.onlineUuids().filter(visible);
    const uuids = [...live.latestUuids()].filter(visible).sort();
    return `{"data":{"online":${JSON.stringify(online)},"data":{${uuids.map((uuid) => live.latestFeedEntry(uuid)).join(',')}}},"status":"success"}`;
  }
}

/** WebSocket `/api/clients` (public-api.md §6.14): pull only; `get` or `get <uuid>`. */
export function registerClientsFeed(fastify: FastifyInstance, app: AppContext): void {
  const payloads = new FeedPayloads(app);
  fastify.route({
    method: 'GET',
    url: '/api/clients',
    preHandler: (request, reply) => refuseGuestsOverCap(app, request, reply),
    handler: async (_request, reply) => reply.code(400).send({ status: 'error', error: 'Require WebSocket upgrade' }),
    wsHandler: (socket: WebSocket, request) => {
      watchViewer(app, socket, request);
      const visibility = viewerVisibility(app, request);
      serveInOrder(socket, request.log, '/api/clients viewer', app.limits.viewers, async (text) => {
        if (text !== 'get' && !text.startsWith('get ')) return invalidMessage;
        const only = text.slice(4).trim();
        const { hidden, key } = await visibility();
        return payloads.build(hidden, key, only === '' ? undefined : only);
      });
    },
  });
}
