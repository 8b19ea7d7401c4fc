import type { WebSocket } from 'ws';
import { closeSocket, fromAgent, fromBrowser, sendFrame, sendText, type RelayFrame } from './frames.ts';
import { goDuration } from './go-duration.ts';
import { terminalTexts, type TerminalLimits } from './limits.ts';

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

export interface SessionHooks {
  audit(message: string): void;
  /** the session is over and both sockets are closing: forget it */
  ended(id: string): void;
  debug(message: string, err?: unknown): void;
  /** whether whoever opened the terminal still may (their session or API key is still valid) */
  authorized(): Promise<boolean>;
}

type State = 'waiting' | 'relaying' | 'ended';

/**
 * One web terminal: the browser socket from the start, the agent socket once it attaches.
 * WAITING holds browser frames (bounded) under the join timeout; RELAYING forwards both ways
 * under the idle timeout; either socket closing, or a timeout, ENDs both.
 */
export class TerminalSession {
  readonly info: TerminalInfo;
  readonly #browser: WebSocket;
  readonly #limits: TerminalLimits;
  readonly #hooks: SessionHooks;
  #state: State = 'waiting';
  #agent: WebSocket | undefined;
  #pending: RelayFrame[] = [];
  #pendingBytes = 0;
  #joinTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #authTimer: NodeJS.Timeout | undefined;
  #checkingAuth = false;
  #lastFrameAt = 0;
  #establishedAt = 0n;

  constructor(info: TerminalInfo, browser: WebSocket, limits: TerminalLimits, hooks: SessionHooks) {
    this.info = info;
    this.#browser = browser;
    this.#limits = { ...limits };
    this.#hooks = hooks;
  }

  get waiting(): boolean {
    return this.#state === 'waiting';
  }

  /** Listens on the browser socket and starts the join timeout. */
  start(): void {
    const browser = this.#browser;
    browser.on('error', (err) => this.#hooks.debug('terminal browser socket error', err));
    browser.on('message', (data, isBinary) => this.#onBrowserFrame(fromBrowser(data, isBinary)));
    browser.on('close', () => this.end('browser closed'));
    this.#joinTimer = setTimeout(() => this.#joinTimedOut(), this.#limits.joinTimeoutMs);
    this.#joinTimer.unref();
    this.#authTimer = setInterval(() => this.#checkAuthorized(), this.#limits.sessionCheckMs);
    this.#authTimer.unref();
  }

  /** The agent's socket arrived: relaying starts, held browser frames first. False once taken or over. */
  attach(agent: WebSocket): boolean {
    if (this.#state !== 'waiting') return false;
    this.#state = 'relaying';
    this.#agent = agent;
    clearTimeout(this.#joinTimer);
    agent.on('error', (err) => this.#hooks.debug('terminal agent socket error', err));
    agent.on('message', (data) => this.#onAgentFrame(fromAgent(data)));
    agent.on('close', () => this.end('agent closed'));
    this.#establishedAt = process.hrtime.bigint();
    this.#hooks.audit(`established, terminal id:${this.info.id}`);
    for (const frame of this.#pending) sendFrame(agent, frame);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#lastFrameAt = performance.now();
    this.#armIdle(this.#limits.idleTimeoutMs);
    return true;
  }

  /** Closes both sides (a close frame after whatever is queued) and forgets the session. */
  end(reason: string, browserText?: string): void {
    if (this.#state === 'ended') return;
    const wasRelaying = this.#state === 'relaying';
    this.#state = 'ended';
    clearTimeout(this.#joinTimer);
    clearTimeout(this.#idleTimer);
    clearInterval(this.#authTimer);
    this.#pending = [];
    if (browserText !== undefined) sendText(this.#browser, browserText);
    closeSocket(this.#browser, 1000, reason);
    closeSocket(this.#agent, 1000, reason);
    if (wasRelaying) {
      const duration = goDuration(process.hrtime.bigint() - this.#establishedAt);
      this.#hooks.audit(`disconnected, terminal id:${this.info.id}, duration:${duration}`);
    }
    this.#hooks.ended(this.info.id);
  }

  #onBrowserFrame(frame: RelayFrame): void {
    // Control JSON (resize, heartbeat) is rare next to keystrokes: worth a look-up each time.
    if (!frame.binary) this.#checkAuthorized();
    if (this.#state === 'waiting') return this.#hold(frame);
    if (this.#state !== 'relaying') return;
    this.#lastFrameAt = performance.now();
    sendFrame(this.#agent, frame);
  }

  #onAgentFrame(frame: RelayFrame): void {
    if (this.#state !== 'relaying') return;
    this.#lastFrameAt = performance.now();
    sendFrame(this.#browser, frame);
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

  /** Ends the session once its opener's credentials are gone; one look-up at a time. */
  #checkAuthorized(): void {
    if (this.#checkingAuth || this.#state === 'ended') return;
    this.#checkingAuth = true;
    this.#hooks
      .authorized()
      .then((ok) => {
        if (!ok) this.end('session ended', terminalTexts.sessionEnded);
      })
      .catch((err: unknown) => this.#hooks.debug('terminal session check failed', err))
      .finally(() => (this.#checkingAuth = false));
  }

  #joinTimedOut(): void {
    if (this.#state === 'waiting') this.end('agent did not connect', terminalTexts.joinTimeout);
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
