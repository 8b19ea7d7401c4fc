// The browser end of the web terminal socket (agent-protocol.md §10, admin-api.md §12, Komari 1.5
// re-attach in komari-1.5.md §4.3). Keystrokes go out as binary UTF-8, as Komari's own UI sends
// them; resize and heartbeat are JSON text frames, which the server passes to the agent unchanged.
// The server's own notices arrive as text frames with fixed texts and become a status instead of
// terminal output; its first frame, `{"request_id":…}`, is the session id and is never shown.
//
// One connection is one session, over one or more sockets: when a socket drops unexpectedly the
// session is only suspended on the server, so it is re-attached by `?request_id=` (no 2FA code)
// a bounded number of times. The user ending it sends `{"type":"close"}` so the shell ends at once.
import { socketUrl } from '../../lib/api.ts';
import { parseRequestIdFrame, reattachDelay, reattachDelaysMs, saveRequestId, tabStorage } from './terminal-session-id.ts';

export type TerminalStatus = 'connecting' | 'waiting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

/** Why the session ended, as a key in `admin-terminal` (`closed.*`); raw server text otherwise. */
export type CloseReason = { key: string } | { text: string };

/** The server's notices, byte for byte (packages/server/src/terminal/limits.ts). */
const notices: Record<string, TerminalStatus | CloseReason> = {
  'Client offline!\n被控端离线!\n': 'offline',
  '等待被控端连接 waiting for agent...\n': 'waiting',
  '被控端连接超时 timeout\n': { key: 'closed.joinTimeout' },
  '终端空闲超时 idle timeout\n': { key: 'closed.idle' },
  '输入过多 too much input before the agent connected\n': { key: 'closed.overflow' },
  '会话已结束 session ended\n': { key: 'closed.sessionEnded' },
  'Terminal session expired\n终端会话已过期\n': { key: 'closed.expired' },
};

/** The close reasons the server gives on the browser socket. */
const closeReasons: Record<string, string> = {
  'agent closed': 'closed.agentClosed',
  'browser closed': 'closed.byYou',
  'client offline': 'closed.offline',
  'agent did not connect': 'closed.joinTimeout',
  'idle timeout': 'closed.idle',
  'too much input before the agent connected': 'closed.overflow',
  'server shutting down': 'closed.shutdown',
  'session ended': 'closed.sessionEnded',
  'session expired': 'closed.expired',
  'replaced by another browser': 'closed.replaced',
};

/**
 * The server ends a session with a normal close (1000) and a reason; any other close (1006 for a
 * cut network, 1001 for a proxy going away) leaves the session suspended there: re-attach.
 */
const normalClose = 1000;

/** Heartbeats keep proxies (nginx closes a quiet socket after 60 s) from cutting a visible terminal. */
const heartbeatMs = 20_000;

const closeControl = JSON.stringify({ type: 'close' });

export interface ConnectionEvents {
  output(data: Uint8Array): void;
  status(status: TerminalStatus, reason?: CloseReason): void;
  /** a line for the terminal itself (`line.*` in `admin-terminal`), not shell output */
  line(key: string, values?: Record<string, number>): void;
}

export interface ConnectionStart {
  /** the 2FA code for a new session ('' without 2FA) */
  code: string;
  /** a kept session id to re-attach to instead (a reload of the tab) */
  requestId?: string;
}

export class TerminalConnection {
  readonly #uuid: string;
  readonly #code: string;
  readonly #events: ConnectionEvents;
  readonly #encoder = new TextEncoder();
  #ws: WebSocket | undefined;
  #requestId: string | undefined;
  #status: TerminalStatus = 'connecting';
  #reason: CloseReason | undefined;
  #opened = false;
  /** re-attach attempts since the last socket that worked */
  #attempts = 0;
  #over = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #size: { cols: number; rows: number } | undefined;

  constructor(uuid: string, start: ConnectionStart, events: ConnectionEvents) {
    this.#uuid = uuid;
    this.#code = start.code;
    this.#events = events;
    this.#requestId = start.requestId;
    this.#connect();
  }

  /** Typed text or pasted data. */
  input(data: string): void {
    this.#send(this.#encoder.encode(data));
  }

  resize(cols: number, rows: number): void {
    if (this.#size?.cols === cols && this.#size.rows === rows) return;
    this.#size = { cols, rows };
    this.#send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  /**
   * The user is done with this terminal (the end button, or leaving the page inside the app):
   * the server is told to end the session, so the shell does not linger for the re-attach grace.
   * A socket still opening (or none, between re-attach attempts) is given the close control once
   * it is open.
   */
  end(): void {
    if (this.#over) return;
    const ws = this.#ws;
    const id = this.#requestId;
    this.#finish({ key: 'closed.byYou' });
    if (ws?.readyState === WebSocket.OPEN) return sendCloseControl(ws);
    if (ws?.readyState === WebSocket.CONNECTING) {
      ws.onopen = () => sendCloseControl(ws);
      return;
    }
    if (id) {
      const closer = new WebSocket(this.#url(id));
      closer.onopen = () => sendCloseControl(closer);
    }
  }

  #url(requestId: string | undefined): string {
    const base = `/api/admin/client/${encodeURIComponent(this.#uuid)}/terminal`;
    if (requestId) return socketUrl(`${base}?request_id=${encodeURIComponent(requestId)}`);
    return socketUrl(this.#code ? `${base}?2fa_code=${encodeURIComponent(this.#code)}` : base);
  }

  #connect(): void {
    const ws = new WebSocket(this.#url(this.#requestId));
    this.#ws = ws;
    this.#opened = false;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => this.#onOpen();
    ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => this.#onMessage(e.data);
    ws.onclose = (e) => this.#onClose(e);
  }

  #onOpen(): void {
    this.#opened = true;
    // The size may have been set before the socket opened, or changed while it was away.
    if (this.#size) this.#send(JSON.stringify({ type: 'resize', ...this.#size }));
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => {
      if (document.visibilityState === 'visible') this.#send(JSON.stringify({ type: 'heartbeat', timestamp: new Date().toISOString() }));
    }, heartbeatMs);
  }

  #onMessage(data: string | ArrayBuffer): void {
    if (typeof data === 'string') {
      const id = parseRequestIdFrame(data);
      if (id) return this.#onRequestId(id);
      const notice = notices[data];
      if (typeof notice === 'string') return this.#setStatus(notice);
      if (notice) {
        this.#reason = notice;
        return;
      }
      this.#events.output(this.#encoder.encode(data.replace(/\r?\n/g, '\r\n')));
      return;
    }
    // The agent has attached once its first bytes (the shell's prompt) arrive.
    if (this.#status !== 'connected') this.#setStatus('connected');
    this.#events.output(new Uint8Array(data));
  }

  /** Sent first on every attach: the session is (again) ours. */
  #onRequestId(id: string): void {
    const reattached = this.#requestId !== undefined;
    this.#requestId = id;
    saveRequestId(tabStorage(), this.#uuid, id);
    if (!reattached) return;
    if (this.#attempts > 0) this.#events.line('line.reattached');
    this.#attempts = 0;
    // The waiting notice follows if the agent is not there yet; otherwise it is.
    this.#setStatus('connected');
  }

  #onClose(e: CloseEvent): void {
    clearInterval(this.#heartbeat);
    if (this.#over) return;
    if (this.#status === 'offline') return this.#finish(undefined);
    if (e.code !== normalClose && this.#requestId) {
      if (!this.#opened) return void this.#probe();
      return this.#scheduleReattach();
    }
    const known = closeReasons[e.reason];
    // A refused upgrade (no session, a wrong 2FA code, an unknown server) closes before opening,
    // and the browser is not told why.
    this.#finish(this.#reason ?? (known ? { key: known } : e.reason ? { text: e.reason } : { key: this.#opened ? 'closed.unknown' : 'closed.refused' }));
  }

  /**
   * A re-attach that never opened: the browser does not say whether the server refused it (404:
   * the session is not ours or long gone) or could not be reached. A plain GET of the same URL
   * runs the same checks and answers 404 or 400 ("Require WebSocket upgrade").
   */
  async #probe(): Promise<void> {
    const path = `/api/admin/client/${encodeURIComponent(this.#uuid)}/terminal?request_id=${encodeURIComponent(this.#requestId ?? '')}`;
    const status = await fetch(path, { credentials: 'same-origin' }).then(
      (res) => res.status,
      () => 0,
    );
    if (this.#over) return;
    if (status === 404) return this.#finish({ key: 'closed.notFound' });
    if (status === 401) return this.#finish({ key: 'closed.refused' });
    this.#scheduleReattach();
  }

  #scheduleReattach(): void {
    this.#attempts += 1;
    const delay = reattachDelay(this.#attempts);
    if (delay === undefined) return this.#finish({ key: 'closed.lost' });
    this.#setStatus('reconnecting');
    this.#events.line('line.reconnecting', { attempt: this.#attempts, max: reattachDelaysMs.length });
    this.#retry = setTimeout(() => {
      if (!this.#over) this.#connect();
    }, delay);
  }

  /** The session is over for this page: nothing more is sent, the kept id is dropped. */
  #finish(reason: CloseReason | undefined): void {
    this.#over = true;
    clearInterval(this.#heartbeat);
    clearTimeout(this.#retry);
    saveRequestId(tabStorage(), this.#uuid, undefined);
    if (this.#ws) this.#ws.onclose = null;
    if (this.#status === 'offline') return;
    this.#status = 'closed';
    this.#events.status('closed', reason);
  }

  #setStatus(status: TerminalStatus): void {
    this.#status = status;
    this.#events.status(status);
  }

  #send(data: string | Uint8Array<ArrayBuffer>): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(data);
  }
}

/** `{"type":"close"}` then the socket's own close: the frame goes first, in order. */
function sendCloseControl(ws: WebSocket): void {
  ws.send(closeControl);
  ws.close(normalClose);
}
