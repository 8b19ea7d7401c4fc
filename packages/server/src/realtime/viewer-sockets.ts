import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../app-context.ts';
import type { ServerLimits } from '../config/limits.ts';
import { isAdmin } from '../rpc/caller.ts';
import { addressGroup } from '../util/address-group.ts';

/** Why one more guest socket may not open: the HTTP answer to its upgrade. */
export interface Refusal {
  status: 429 | 503;
  error: string;
}

export const viewerTexts = {
  perAddress: 'Too many open connections from your address',
  total: 'Too many open viewer connections, try again later',
  idle: 'idle timeout',
  full: 'too many viewers',
} as const;

interface Watched {
  socket: WebSocket;
  /** a pong (or the handshake) arrived since the last ping */
  alive: boolean;
}

/**
 * The browser sockets of `/api/clients` and `/api/rpc2` (issue 12: 20,000 idle guest sockets
 * once took every file descriptor). Guests are capped per address (IPv6 by /64) and in total, and
 * a guest that sends nothing for `idleMs` is closed; every socket is pinged and one that misses a
 * pong is cut. Admins are pinged but never counted or refused; agents never come here.
 */
export class ViewerSockets {
  readonly #limits: ServerLimits['viewers'];
  readonly #log: FastifyBaseLogger;
  readonly #watched = new Set<Watched>();
  readonly #guestsPerGroup = new Map<string, number>();
  #guests = 0;
  readonly #maxGuests: number;
  readonly #pinger: NodeJS.Timeout;

  /** `openFiles` is the process's open-files soft limit, when known. */
  constructor(limits: ServerLimits['viewers'], log: FastifyBaseLogger, openFiles = Infinity) {
    this.#limits = limits;
    this.#log = log;
    this.#maxGuests = Math.min(limits.maxGuestSockets, Math.floor(openFiles * limits.maxGuestShareOfOpenFiles));
    this.#pinger = setInterval(() => this.#pingAll(), limits.pingEveryMs);
    this.#pinger.unref();
  }

  /** guest sockets all addresses together may hold: maxGuestSockets, or less under a low fd limit */
  get maxGuests(): number {
    return this.#maxGuests;
  }

  /** guest sockets open now, all addresses together */
  get guests(): number {
    return this.#guests;
  }

  /** viewer sockets open now, admins' included */
  get open(): number {
    return this.#watched.size;
  }

  /** Checked before the upgrade: may one more guest socket from `ip` open? */
  refusal(ip: string): Refusal | undefined {
    if ((this.#guestsPerGroup.get(addressGroup(ip)) ?? 0) >= this.#limits.maxGuestSocketsPerIp) {
      return { status: 429, error: viewerTexts.perAddress };
    }
    if (this.#guests >= this.#maxGuests) return { status: 503, error: viewerTexts.total };
    return undefined;
  }

  /**
   * Watches an open socket until it closes. `guestIp` counts it against the guest caps; upgrades
   * that passed `refusal` together may still overshoot, and the late ones are closed with 1013.
   */
  watch(socket: WebSocket, guestIp?: string): void {
    // closed already: no 'close' event would ever release its count
    if (socket.readyState === socket.CLOSED) return;
    const watched: Watched = { socket, alive: true };
    this.#watched.add(watched);
    socket.on('pong', () => (watched.alive = true));
    const releaseGuest = guestIp === undefined ? () => {} : this.#countGuest(socket, guestIp);
    socket.once('close', () => {
      this.#watched.delete(watched);
      releaseGuest();
    });
  }

  /** Stops pinging (server shutdown). */
  stop(): void {
    clearInterval(this.#pinger);
  }

  #countGuest(socket: WebSocket, ip: string): () => void {
    const over = this.refusal(ip);
    const group = addressGroup(ip);
    this.#guests++;
    this.#guestsPerGroup.set(group, (this.#guestsPerGroup.get(group) ?? 0) + 1);
    if (over) socket.close(1013, viewerTexts.full);
    else this.#closeWhenIdle(socket);
    return () => {
      this.#guests--;
      const left = (this.#guestsPerGroup.get(group) ?? 1) - 1;
      if (left > 0) this.#guestsPerGroup.set(group, left);
      else this.#guestsPerGroup.delete(group);
    };
  }

  /** One timer per idle period, not per message: on firing it re-arms for the time still left. */
  #closeWhenIdle(socket: WebSocket): void {
    const idleMs = this.#limits.idleMs;
    let lastMessageAt = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const arm = (delayMs: number) => {
      timer = setTimeout(() => {
        const quietMs = performance.now() - lastMessageAt;
        if (quietMs >= idleMs) socket.close(1000, viewerTexts.idle);
        else arm(idleMs - quietMs);
      }, delayMs);
      timer.unref();
    };
    socket.on('message', () => (lastMessageAt = performance.now()));
    socket.once('close', () => clearTimeout(timer));
    arm(idleMs);
  }

  #pingAll(): void {
    for (const watched of this.#watched) {
      const { socket } = watched;
      if (socket.readyState !== socket.OPEN) continue;
      if (!watched.alive) {
        this.#log.debug('viewer socket missed a pong: cut');
        socket.terminate();
        continue;
      }
      watched.alive = false;
      socket.ping();
    }
  }
}

/** Whoever is not an admin counts as a guest on a viewer socket. */
function guestIpOf(request: FastifyRequest): string | undefined {
  return isAdmin(request.caller) ? undefined : request.ip;
}

/** The preHandler of a viewer route: a guest's upgrade past a cap is answered before the handshake. */
export async function refuseGuestsOverCap(app: AppContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const ip = guestIpOf(request);
  if (ip === undefined || request.headers.upgrade?.toLowerCase() !== 'websocket') return undefined;
  const refused = app.viewers.refusal(ip);
  if (!refused) return undefined;
  request.log.warn({ ip, guests: app.viewers.guests }, `viewer socket refused: ${refused.error}`);
  return reply.code(refused.status).send({ status: 'error', error: refused.error });
}

/** Watches a viewer socket that just opened (see ViewerSockets.watch). */
export function watchViewer(app: AppContext, socket: WebSocket, request: FastifyRequest): void {
  app.viewers.watch(socket, guestIpOf(request));
}
