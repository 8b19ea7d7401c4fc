import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { AgentCommand, Delivery } from '../agents/dispatch.ts';
import { randomToken } from '../auth/random-token.ts';
import type { AuditService } from '../services/audit-service.ts';
import { EndedSessions } from './ended-sessions.ts';
import { closeSocket, sendText } from './frames.ts';
import { defaultTerminalLimits, terminalTexts, type TerminalLimits } from './limits.ts';
import { TerminalSession, type Authorized, type TerminalInfo } from './session.ts';

const sessionIdLength = 32;

/**
 * The request for the agent (komari-1.5.md §1.3): `agent.terminal.request` to a v2 agent (on its
 * socket, or queued for a POST-only one), the v1 frame with its newline to a v1 agent (§6.7).
 */
export function terminalRequest(id: string): AgentCommand {
  return {
    v1: { message: 'terminal', request_id: id },
    v2: { method: 'agent.terminal.request', params: { request_id: id } },
    newline: true,
  };
}

/** Sends the terminal request for a session id to the client; how it went. */
export type SendRequest = (id: string) => Delivery;

/** Who re-attaches: for the audit line. */
export interface Reattacher {
  userUuid: string;
  ip: string;
}

/**
 * The table of open web terminals, in memory only (agent-protocol.md §10). `limits` is read when
 * a session opens, so a test may shorten the timeouts on a running server.
 */
export class TerminalBroker {
  readonly limits: TerminalLimits;
  readonly #sessions = new Map<string, TerminalSession>();
  /** ids of suspended sessions, the one suspended longest first */
  readonly #suspended = new Set<string>();
  readonly #ended: EndedSessions;
  readonly #audit: AuditService;
  readonly #log: FastifyBaseLogger;

  constructor(audit: AuditService, log: FastifyBaseLogger, limits: Partial<TerminalLimits> = {}) {
    this.#audit = audit;
    this.#log = log;
    this.limits = { ...defaultTerminalLimits, ...limits };
    this.#ended = new EndedSessions(this.limits);
  }

  get size(): number {
    return this.#sessions.size;
  }

  get suspendedCount(): number {
    return this.#suspended.size;
  }

  get(id: string): TerminalSession | undefined {
    return this.#sessions.get(id);
  }

  /** The owner of a recently ended session, for telling its owner it expired (not in Komari). */
  endedOwner(id: string): Omit<TerminalInfo, 'id' | 'ip'> | undefined {
    return this.#ended.get(id);
  }

  /**
   * A new browser socket for `clientUuid` (§10 steps 2-4, komari-1.5.md §4.3): it gets the
   * request id first; then the agent is asked. An unreachable client is told to the browser.
   */
  open(browser: WebSocket, who: Omit<TerminalInfo, 'id'>, authorized: Authorized, send: SendRequest): TerminalSession | undefined {
    // In the table before the agent is asked, so it can dial in at once.
    const session = this.#create({ id: this.#newId(), ...who }, browser, authorized);
    if (send(session.info.id) === 'offline') {
      session.end('client offline', terminalTexts.offline);
      return undefined;
    }
    if (session.waiting) sendText(browser, terminalTexts.waiting);
    return session;
  }

  /**
   * A browser of the session's owner re-attaches by id (the route checked owner and client). A
   * session gone since is told as expired and closed.
   */
  reattach(id: string, clientUuid: string, browser: WebSocket, authorized: Authorized, who: Reattacher): boolean {
    const session = this.#sessions.get(id);
    if (!session || session.info.clientUuid !== clientUuid || !session.reattach(browser, authorized)) {
      sendText(browser, terminalTexts.expired);
      closeSocket(browser, 1000, 'session expired');
      return false;
    }
    this.#writeAudit(who, `re-attached, terminal id:${id}`, id);
    return true;
  }

  /** Ends every session of a node, suspended ones too (the node was deleted). */
  endNode(clientUuid: string): void {
    for (const session of [...this.#sessions.values()]) {
      if (session.info.clientUuid === clientUuid) session.end('node deleted', terminalTexts.nodeDeleted);
    }
  }

  /** Ends every session (server shutdown). */
  endAll(): void {
    for (const session of [...this.#sessions.values()]) session.end('server shutting down');
  }

  #create(info: TerminalInfo, browser: WebSocket, authorized: Authorized): TerminalSession {
    const session = new TerminalSession(
      info,
      this.limits,
      {
        audit: (message) => this.#writeAudit(info, message, info.id),
        ended: (id) => this.#forget(session, id),
        suspended: (id, suspended) => this.#onSuspended(id, suspended),
        debug: (message, err) => this.#log.debug({ err, terminal: info.id }, message),
      },
      authorized,
    );
    this.#sessions.set(info.id, session);
    session.start(browser);
    return session;
  }

  #forget(session: TerminalSession, id: string): void {
    this.#sessions.delete(id);
    this.#suspended.delete(id);
    this.#ended.add(id, session.info);
  }

  /** Suspended sessions are bounded: past the bound the one suspended longest ends. */
  #onSuspended(id: string, suspended: boolean): void {
    this.#suspended.delete(id);
    if (!suspended) return;
    this.#suspended.add(id);
    while (this.#suspended.size > this.limits.maxSuspended) {
      const oldest = this.#suspended.values().next().value as string;
      this.#suspended.delete(oldest);
      this.#sessions.get(oldest)?.end('too many suspended terminals');
    }
  }

  #writeAudit(who: Reattacher, message: string, id: string): void {
    this.#audit.log(who.ip, who.userUuid, message, 'terminal').catch((err: unknown) => {
      this.#log.error({ err, terminal: id }, 'terminal audit line not written');
    });
  }

  #newId(): string {
    let id = randomToken(sessionIdLength);
    while (this.#sessions.has(id) || this.#ended.get(id)) id = randomToken(sessionIdLength);
    return id;
  }
}
