import type { WebSocket } from 'ws';
import type { AgentEnd } from './agent-end.ts';
import { closeSocket, fromBrowser, sendFrame, sendText, type RelayFrame } from './frames.ts';
import { goDuration } from './go-duration.ts';
import { terminalTexts, type TerminalLimits } from './limits.ts';
import { OutputTail } from './output-tail.ts';

/** Who asked for the terminal, and where: fixed when the browser connects (§10 step 2). */
export interface TerminalInfo {
  /** 32 characters [0-9A-Za-z] */
  id: string;
  /** the client the terminal was requested for; only its token may attach (decision 4) */
  clientUuid: string;
  /** the actor of the audit lines: the user's uuid, "" for an API-key caller */
  userUuid: string;
  /** the requester's IP, for the audit lines */
  ip: string;
}

/** Whether whoever holds the browser side still may (their session or API key is still valid). */
export type Authorized = () => Promise<boolean>;

export interface SessionHooks {
  audit(message: string): void;
  /** the session is over and both sockets are closing: forget it */
  ended(id: string): void;
  /** the browser went away (true) or came back (false) */
  suspended(id: string, suspended: boolean): void;
  debug(message: string, err?: unknown): void;
}

/** The first frame a browser gets (komari-1.5.md §4.3): the id it re-attaches with. */
export function requestIdFrame(id: string): string {
  return JSON.stringify({ request_id: id });
}

/** The largest text frame looked at for the `{"type":"close"}` control. */
const maxControlBytes = 256;

function isCloseControl(frame: RelayFrame, raw: boolean): boolean {
  if (raw || frame.data.length > maxControlBytes || frame.data[0] !== 0x7b) return false;
  try {
    return (JSON.parse(frame.data.toString('utf8')) as { type?: unknown })?.type === 'close';
  } catch {
    return false;
  }
}

/**
 * One web terminal. The agent socket attaches once; the browser socket may come and go: when it
 * drops, the session is SUSPENDED (the agent side kept, its output kept as a bounded tail) for
 * the grace period, and a browser of the same owner may re-attach by request id (Komari 1.5). The
 * agent closing, a timeout, the grace running out or `{"type":"close"}` from the browser END both.
 */
export class TerminalSession {
  readonly info: TerminalInfo;
  readonly #limits: TerminalLimits;
  readonly #hooks: SessionHooks;
  readonly #tail: OutputTail;
  #authorized: Authorized;
  #browser: WebSocket | undefined;
  #agent: AgentEnd | undefined;
  #ended = false;
  #pending: RelayFrame[] = [];
  #pendingBytes = 0;
  #joinTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #authTimer: NodeJS.Timeout | undefined;
  #graceTimer: NodeJS.Timeout | undefined;
  #checkingAuth = false;
  #lastFrameAt = 0;
  #establishedAt = 0n;

  constructor(info: TerminalInfo, limits: TerminalLimits, hooks: SessionHooks, authorized: Authorized) {
    this.info = info;
    this.#limits = { ...limits };
    this.#hooks = hooks;
    this.#authorized = authorized;
    this.#tail = new OutputTail(limits.suspendedTailBytes);
  }

  /** No agent socket yet. */
  get waiting(): boolean {
    return !this.#ended && this.#agent === undefined;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Agent output kept for the browser while it is away, in bytes. */
  get keptOutputBytes(): number {
    return this.#tail.bytes;
  }

  /** Takes the first browser, tells it the request id, starts the join timeout. */
  start(browser: WebSocket): void {
    this.#bindBrowser(browser);
    this.#joinTimer = setTimeout(() => this.#joinTimedOut(), this.#limits.joinTimeoutMs);
    this.#joinTimer.unref();
    this.#authTimer = setInterval(() => this.#checkAuthorized(), this.#limits.sessionCheckMs);
    this.#authTimer.unref();
  }

  /**
   * A browser of the session's owner comes back (komari-1.5.md §4.3): it replaces any browser
   * still attached, gets the request id, the waiting notice if the agent is not there yet, and
   * the output it missed. False once the session is over.
   */
  reattach(browser: WebSocket, authorized: Authorized): boolean {
    if (this.#ended) return false;
    const old = this.#browser;
    this.#authorized = authorized;
    this.#bindBrowser(browser);
    if (old) closeSocket(old, 1000, 'replaced by another browser');
    clearTimeout(this.#graceTimer);
    this.#hooks.suspended(this.info.id, false);
    if (this.waiting) sendText(browser, terminalTexts.waiting);
    for (const chunk of this.#tail.take()) sendFrame(browser, { data: chunk, binary: true });
    return true;
  }

  /**
   * The agent's side arrived (its socket here, or relayed from another replica): held browser
   * frames go first. False once taken or over.
   */
  attach(agent: AgentEnd): boolean {
    if (!this.waiting) return false;
    this.#agent = agent;
    clearTimeout(this.#joinTimer);
    agent.listen({
      error: (err) => this.#hooks.debug('terminal agent socket error', err),
      frame: (frame) => this.#onAgentFrame(frame),
      closed: () => this.end('agent closed'),
    });
    this.#establishedAt = process.hrtime.bigint();
    this.#hooks.audit(`established, terminal id:${this.info.id}`);
    for (const frame of this.#pending) agent.send(frame);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#lastFrameAt = performance.now();
    this.#armIdle(this.#limits.idleTimeoutMs);
    return true;
  }

  /** Closes both sides (a close frame after whatever is queued) and forgets the session. */
  end(reason: string, browserText?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#joinTimer);
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#graceTimer);
    clearInterval(this.#authTimer);
    this.#pending = [];
    this.#tail.take();
    if (this.#browser && browserText !== undefined) sendText(this.#browser, browserText);
    closeSocket(this.#browser, 1000, reason);
    this.#agent?.close(reason);
    if (this.#agent) {
      const duration = goDuration(process.hrtime.bigint() - this.#establishedAt);
      this.#hooks.audit(`disconnected, terminal id:${this.info.id}, duration:${duration}`);
    }
    this.#hooks.ended(this.info.id);
  }

  #bindBrowser(browser: WebSocket): void {
    this.#browser = browser;
    browser.on('error', (err) => this.#hooks.debug('terminal browser socket error', err));
    browser.on('message', (data, isBinary) => {
      if (this.#browser === browser) this.#onBrowserFrame(fromBrowser(data, isBinary), isBinary);
    });
    browser.on('close', () => {
      if (this.#browser === browser) this.#suspend();
    });
    sendText(browser, requestIdFrame(this.info.id));
  }

  /** The browser went away: keep the agent side for the grace period. */
  #suspend(): void {
    if (this.#ended) return;
    this.#browser = undefined;
    this.#hooks.suspended(this.info.id, true);
    this.#graceTimer = setTimeout(() => this.end('suspended session expired'), this.#limits.suspendGraceMs);
    this.#graceTimer.unref();
  }

  #onBrowserFrame(frame: RelayFrame, isBinary: boolean): void {
    if (this.#ended) return;
    if (isCloseControl(frame, isBinary)) {
      // The browser's "close the terminal" (Komari 1.5's UI): the agent is told, nothing is kept.
      this.#agent?.send({ data: Buffer.from('{"type":"close"}'), binary: false });
      return this.end('browser closed');
    }
    // Control JSON (resize, heartbeat) is rare next to keystrokes: worth a look-up each time.
    if (!frame.binary) this.#checkAuthorized();
    if (!this.#agent) return this.#hold(frame);
    this.#lastFrameAt = performance.now();
    this.#agent.send(frame);
  }

  #onAgentFrame(frame: RelayFrame): void {
    if (this.#ended) return;
    this.#lastFrameAt = performance.now();
    if (this.#browser) sendFrame(this.#browser, frame);
    else this.#tail.push(frame.data);
  }

  /** Browser input before the agent is there waits here; past the bound the session ends. */
  #hold(frame: RelayFrame): void {
    this.#pendingBytes += frame.data.length;
    if (this.#pendingBytes > this.#limits.pendingBytes || this.#pending.length >= this.#limits.pendingFrames) {
      this.end('too much input before the agent connected', terminalTexts.pendingOverflow);
      return;
    }
    this.#pending.push(frame);
  }

  /** Ends the session once its holder's credentials are gone; one look-up at a time. */
  #checkAuthorized(): void {
    if (this.#checkingAuth || this.#ended) return;
    this.#checkingAuth = true;
    this.#authorized()
      .then((ok) => {
        if (!ok) this.end('session ended', terminalTexts.sessionEnded);
      })
      .catch((err: unknown) => this.#hooks.debug('terminal session check failed', err))
      .finally(() => (this.#checkingAuth = false));
  }

  #joinTimedOut(): void {
    if (this.waiting) this.end('agent did not connect', terminalTexts.joinTimeout);
  }

  /** One timer per idle period, not per frame: on firing it re-arms for the time still left. */
  #armIdle(delayMs: number): void {
    this.#idleTimer = setTimeout(() => {
      const quietMs = performance.now() - this.#lastFrameAt;
      if (quietMs >= this.#limits.idleTimeoutMs) this.end('idle timeout', terminalTexts.idleTimeout);
      else this.#armIdle(this.#limits.idleTimeoutMs - quietMs);
    }, delayMs);
    this.#idleTimer.unref();
  }
}
