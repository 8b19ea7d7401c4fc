import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { randomToken } from '../auth/random-token.ts';
import type { LiveView } from '../realtime/live-view.ts';
import type { AuditService } from '../services/audit-service.ts';
import { closeSocket, sendText } from './frames.ts';
import { defaultTerminalLimits, terminalTexts, type TerminalLimits } from './limits.ts';
import { TerminalSession, type TerminalInfo } from './session.ts';

const sessionIdLength = 32;

/** The request on the agent's main socket (§6.7): the v1 form on v1 and v2 sockets alike. */
export function terminalRequestFrame(id: string): string {
  return `${JSON.stringify({ message: 'terminal', request_id: id })}\n`;
}

/**
 * The table of open web terminals, in memory only (agent-protocol.md §10). `limits` is read when
 * a session opens, so a test may shorten the timeouts on a running server.
 */
export class TerminalBroker {
  readonly limits: TerminalLimits;
  readonly #sessions = new Map<string, TerminalSession>();
  readonly #audit: AuditService;
  readonly #log: FastifyBaseLogger;

  constructor(audit: AuditService, log: FastifyBaseLogger, limits: Partial<TerminalLimits> = {}) {
    this.#audit = audit;
    this.#log = log;
    this.limits = { ...defaultTerminalLimits, ...limits };
  }

  get size(): number {
    return this.#sessions.size;
  }

  get(id: string): TerminalSession | undefined {
    return this.#sessions.get(id);
  }

  /**
   * A browser socket for `clientUuid` (§10 steps 2-4): with no agent socket to ask, the browser is
   * told the client is offline and closed; otherwise the session waits for the agent to dial in.
   */
  open(
    live: LiveView,
    browser: WebSocket,
    who: Omit<TerminalInfo, 'id'>,
    authorized: () => Promise<boolean>,
  ): TerminalSession | undefined {
    const conn = live.socketOf(who.clientUuid);
    if (!conn) {
      sendText(browser, terminalTexts.offline);
      closeSocket(browser, 1000, 'client offline');
      return undefined;
    }
    // In the table before the agent is asked, so it can dial in at once.
    const session = this.#create({ id: this.#newId(), ...who }, browser, authorized);
    if (!conn.send(terminalRequestFrame(session.info.id))) {
      session.end('client offline', terminalTexts.offline);
      return undefined;
    }
    sendText(browser, terminalTexts.waiting);
    return session;
  }

  /** Ends every session (server shutdown). */
  endAll(): void {
    for (const session of [...this.#sessions.values()]) session.end('server shutting down');
  }

  #create(info: TerminalInfo, browser: WebSocket, authorized: () => Promise<boolean>): TerminalSession {
    const session = new TerminalSession(info, browser, this.limits, {
      audit: (message) => this.#writeAudit(info, message),
      ended: (id) => this.#sessions.delete(id),
      debug: (message, err) => this.#log.debug({ err, terminal: info.id }, message),
      authorized,
    });
    this.#sessions.set(info.id, session);
    session.start();
    return session;
  }

  #writeAudit(info: TerminalInfo, message: string): void {
    this.#audit.log(info.ip, info.userUuid, message, 'terminal').catch((err: unknown) => {
      this.#log.error({ err, terminal: info.id }, 'terminal audit line not written');
    });
  }

  #newId(): string {
    let id = randomToken(sessionIdLength);
    while (this.#sessions.has(id)) id = randomToken(sessionIdLength);
    return id;
  }
}
