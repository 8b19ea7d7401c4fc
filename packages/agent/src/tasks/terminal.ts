import { dialWebSocket, type WireSocket } from '../wire/websocket.ts';
import { PseudoTerminal } from './pty.ts';

/** The agent side of the web terminal (agent-protocol.md §10). */

export interface TerminalOptions {
  /** panel base URL, http(s)://host[:port][/prefix] */
  endpoint: string;
  token: string;
  /** the request_id of the server's terminal frame */
  requestId: string;
  /** --disable-web-ssh */
  disabled?: boolean;
  /** --ignore-unsafe-cert */
  ignoreUnsafeCert?: boolean;
  log?: (message: string) => void;
}

export const WEB_SSH_DISABLED_TEXT = '\n\nWeb SSH is disabled. Enable it by running without the --disable-web-ssh flag.';

/** Pty output waiting in the socket past this much pauses the pty until it drains. */
const HIGH_WATER_BYTES = 1024 * 1024;

/** wss://… /api/clients/terminal?token=&id= from the panel endpoint. */
export function terminalUrl(endpoint: string, token: string, requestId: string): string {
  const base = endpoint.trim().replace(/\/+$/, '').replace(/^http/i, 'ws');
  return `${base}/api/clients/terminal?token=${encodeURIComponent(token)}&id=${encodeURIComponent(requestId)}`;
}

function closed(ws: WireSocket): Promise<void> {
  return ws.isClosed ? Promise.resolve() : new Promise((resolve) => ws.once('close', () => resolve()));
}

/** A text frame: control JSON (resize, input; any other JSON ignored) or, when not JSON, raw input. */
export function handleText(pty: Pick<PseudoTerminal, 'write' | 'resize'>, text: string): void {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    pty.write(text);
    return;
  }
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
    if (msg !== null) pty.write(text); // JSON that is not an object does not decode into a control message
    return;
  }
  const m = msg as { type?: unknown; cols?: unknown; rows?: unknown; input?: unknown };
  if (m.type === 'resize' && typeof m.cols === 'number' && typeof m.rows === 'number') pty.resize(m.cols, m.rows);
  else if (m.type === 'input' && typeof m.input === 'string') pty.write(m.input);
}

/** Relays until either side ends, then tears both down. */
/**
 * Relays until either side ends, then tears both down. The server flushes the browser input it
 * held right after the upgrade; WireSocket keeps such frames until the 'message' listener here.
 */
function relay(ws: WireSocket, pty: PseudoTerminal): Promise<void> {
  pty.onData((chunk) => {
    ws.send(chunk, () => {
      if (ws.bufferedAmount < HIGH_WATER_BYTES) pty.resume();
    });
    if (ws.bufferedAmount >= HIGH_WATER_BYTES) pty.pause();
  });
  ws.on('message', (data: Buffer, isBinary: boolean) => (isBinary ? pty.write(data) : handleText(pty, data.toString('utf8'))));
  if (ws.isOpen) ws.once('close', () => void pty.close());
  else void pty.close();
  void pty.exited.then(() => {
    if (pty.startError && ws.isOpen) ws.send(`\r\n${pty.startError.message}\r\n`);
    ws.close(1000, 'terminal exited');
  });
  return Promise.all([pty.exited, closed(ws)]).then(() => undefined);
}

/**
 * Dials the terminal socket for one request and serves a login shell on a pseudo-terminal over
 * it until either side ends. Resolves when the session is over; never rejects (failures are logged
 * and, once the socket is open, sent to the browser as text).
 */
export async function openTerminal(o: TerminalOptions): Promise<void> {
  const log = o.log ?? ((m: string) => console.error(`[komari-agent] ${m}`));
  let ws: WireSocket;
  try {
    ws = await dialWebSocket(terminalUrl(o.endpoint, o.token, o.requestId), { compression: false, insecure: o.ignoreUnsafeCert ?? false, timeoutMs: 15_000 });
  } catch (err) {
    log(`terminal ${o.requestId}: could not connect: ${(err as Error).message}`);
    return;
  }
  if (o.disabled) return refuse(ws, WEB_SSH_DISABLED_TEXT);
  let pty: PseudoTerminal;
  try {
    pty = PseudoTerminal.start();
  } catch (err) {
    log(`terminal ${o.requestId}: ${(err as Error).message}`);
    return refuse(ws, `\r\n${(err as Error).message}\r\n`);
  }
  await relay(ws, pty);
  if (pty.startError) log(`terminal ${o.requestId}: could not start: ${pty.startError.message}`);
}

/** Sends one text frame and closes. */
function refuse(ws: WireSocket, text: string): Promise<void> {
  ws.send(text);
  ws.close(1000);
  return closed(ws);
}
