// The browser end of the web terminal socket (agent-protocol.md §10, admin-api.md §12).
// Keystrokes go out as binary UTF-8, as Komari's own UI sends them; resize and heartbeat are
// JSON text frames, which the server passes to the agent unchanged. The server's own notices
// arrive as text frames with fixed texts and become a status instead of terminal output.
import { socketUrl } from '../../lib/api.ts';

export type TerminalStatus = 'connecting' | 'waiting' | 'connected' | 'offline' | 'closed';

/** Why the session ended, as a key in `admin-terminal` (`closed.*`); raw server text otherwise. */
export type CloseReason = { key: string } | { text: string };

/** The server's notices, byte for byte (packages/server/src/terminal/limits.ts). */
const notices: Record<string, TerminalStatus | CloseReason> = {
  'Client offline!\n被控端离线!\n': 'offline',
  '等待被控端连接 waiting for agent...\n': 'waiting',
  '被控端连接超时 timeout\n': { key: 'closed.joinTimeout' },
  '终端空闲超时 idle timeout\n': { key: 'closed.idle' },
  '输入过多 too much input before the agent connected\n': { key: 'closed.overflow' },
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
};

/** Heartbeats keep proxies (nginx closes a quiet socket after 60 s) from cutting a visible terminal. */
const heartbeatMs = 20_000;

export interface ConnectionEvents {
  output(data: Uint8Array): void;
  status(status: TerminalStatus, reason?: CloseReason): void;
}

export class TerminalConnection {
  readonly #ws: WebSocket;
  readonly #events: ConnectionEvents;
  readonly #encoder = new TextEncoder();
  #status: TerminalStatus = 'connecting';
  #reason: CloseReason | undefined;
  #opened = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #size: { cols: number; rows: number } | undefined;

  constructor(uuid: string, code: string, events: ConnectionEvents) {
    this.#events = events;
    const query = code ? `?2fa_code=${encodeURIComponent(code)}` : '';
    this.#ws = new WebSocket(socketUrl(`/api/admin/client/${encodeURIComponent(uuid)}/terminal${query}`));
    this.#ws.binaryType = 'arraybuffer';
    this.#ws.onopen = () => this.#onOpen();
    this.#ws.onmessage = (e: MessageEvent<string | ArrayBuffer>) => this.#onMessage(e.data);
    this.#ws.onclose = (e) => this.#onClose(e);
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

  close(): void {
    clearInterval(this.#heartbeat);
    this.#ws.onclose = null;
    this.#ws.close();
  }

  #onOpen(): void {
    this.#opened = true;
    // The size may have been set before the socket opened.
    if (this.#size) this.#send(JSON.stringify({ type: 'resize', ...this.#size }));
    this.#heartbeat = setInterval(() => {
      if (document.visibilityState === 'visible') this.#send(JSON.stringify({ type: 'heartbeat', timestamp: new Date().toISOString() }));
    }, heartbeatMs);
  }

  #onMessage(data: string | ArrayBuffer): void {
    if (typeof data === 'string') {
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
    if (this.#status === 'waiting' || this.#status === 'connecting') this.#setStatus('connected');
    this.#events.output(new Uint8Array(data));
  }

  #onClose(e: CloseEvent): void {
    clearInterval(this.#heartbeat);
    if (this.#status === 'offline') return;
    const known = closeReasons[e.reason];
    // A refused upgrade (no session, a wrong 2FA code, an unknown server) closes before opening,
    // and the browser is not told why.
    const reason = this.#reason ?? (known ? { key: known } : e.reason ? { text: e.reason } : { key: this.#opened ? 'closed.unknown' : 'closed.refused' });
    this.#status = 'closed';
    this.#events.status('closed', reason);
  }

  #setStatus(status: TerminalStatus): void {
    this.#status = status;
    this.#events.status(status);
  }

  #send(data: string | Uint8Array<ArrayBuffer>): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(data);
  }
}
