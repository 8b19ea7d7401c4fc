// The /api/clients socket (public-api.md §6.14), the one client every page uses. The socket is
// pull-only: we ask `get` (or `get <uuid>`) on a timer, never with an answer outstanding and not
// while the tab is hidden, and reopen it 2 s after a close, as Komari's frontend does.
import type { ClientsFeedData } from '@komari-ts/protocol';
import { socketUrl } from './api.ts';

const reconnectMs = 2000;

export interface ClientsFeedOptions {
  /** ask about one node only */
  uuid?: string;
  everyMs: number;
  onData(data: ClientsFeedData): void;
  /** 'live' after each answer, 'lost' when the socket closes */
  onLink?(state: 'live' | 'lost'): void;
}

/** Keeps asking until the returned function is called. */
export function openClientsFeed(o: ClientsFeedOptions): () => void {
  const request = o.uuid ? `get ${o.uuid}` : 'get';
  let ws: WebSocket | undefined;
  let waiting = false;
  let disposed = false;
  let reconnect: ReturnType<typeof setTimeout> | undefined;

  const ask = () => {
    if (!ws || ws.readyState !== WebSocket.OPEN || waiting || document.hidden) return;
    waiting = true;
    ws.send(request);
  };

  const open = () => {
    const socket = new WebSocket(socketUrl('/api/clients'));
    ws = socket;
    waiting = false;
    socket.onopen = ask;
    socket.onmessage = (e: MessageEvent) => {
      waiting = false;
      let frame: { status?: string; data?: Partial<ClientsFeedData> };
      try {
        frame = JSON.parse(String(e.data)) as typeof frame;
      } catch {
        return; // not an answer to `get`; the next one comes with the next ask
      }
      if (frame.status !== 'success' || !frame.data) return;
      o.onData({ online: frame.data.online ?? [], data: frame.data.data ?? {} });
      o.onLink?.('live');
    };
    socket.onclose = () => {
      if (disposed) return;
      o.onLink?.('lost');
      reconnect = setTimeout(open, reconnectMs);
    };
  };

  const timer = setInterval(ask, o.everyMs);
  document.addEventListener('visibilitychange', ask);
  open();

  return () => {
    disposed = true;
    clearInterval(timer);
    clearTimeout(reconnect);
    document.removeEventListener('visibilitychange', ask);
    const socket = ws;
    if (!socket) return;
    // closing a socket that is still connecting makes the browser log an error: close once open
    if (socket.readyState === WebSocket.CONNECTING) socket.onopen = () => socket.close();
    else socket.close();
  };
}
