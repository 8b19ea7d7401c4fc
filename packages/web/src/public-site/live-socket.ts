// The /api/clients socket (public-api.md §6.14): pull only, so the page asks `get` every second
// (the agents' cadence), never with an answer still outstanding, and not while the tab is hidden.
// A closed socket is reopened after 2 s, as Komari's frontend does.
import { socketUrl } from '../lib/api.ts';
import type { LiveStore } from './live-store.ts';
import type { ClientsFrame } from './live-types.ts';

const pollMs = 1000;
const reconnectMs = 2000;

/** Keeps `store` fed until the returned function is called. */
export function connectLive(store: LiveStore): () => void {
  let ws: WebSocket | undefined;
  let waiting = false;
  let disposed = false;
  let reconnect: ReturnType<typeof setTimeout> | undefined;

  const ask = () => {
    if (!ws || ws.readyState !== WebSocket.OPEN || waiting || document.hidden) return;
    waiting = true;
    ws.send('get');
  };

  const open = () => {
    const socket = new WebSocket(socketUrl('/api/clients'));
    ws = socket;
    waiting = false;
    socket.onopen = ask;
    socket.onmessage = (e: MessageEvent<string>) => {
      waiting = false;
      let frame: ClientsFrame;
      try {
        frame = JSON.parse(e.data) as ClientsFrame;
      } catch {
        return;
      }
      if (frame.status !== 'success' || !frame.data) return;
      store.apply(frame.data.online ?? [], frame.data.data ?? {});
      store.setLink('live');
    };
    socket.onclose = () => {
      if (disposed) return;
      store.setLink('lost');
      reconnect = setTimeout(open, reconnectMs);
    };
  };

  const timer = setInterval(ask, pollMs);
  const onVisible = () => ask();
  document.addEventListener('visibilitychange', onVisible);
  open();

  return () => {
    disposed = true;
    clearInterval(timer);
    clearTimeout(reconnect);
    document.removeEventListener('visibilitychange', onVisible);
    const socket = ws;
    if (!socket) return;
    // closing a socket that is still connecting makes the browser log an error: close once open
    if (socket.readyState === WebSocket.CONNECTING) socket.onopen = () => socket.close();
    else socket.close();
  };
}
