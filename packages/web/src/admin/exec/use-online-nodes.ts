// Which nodes are online right now, from the live-status socket /api/clients (public-api.md
// §6.14): it is pull-only, so we ask with `get` every 2 s, as Komari's own dashboard does, and
// reconnect 2 s after it closes. `undefined` until the first answer.
import { useEffect, useState } from 'react';
import { socketUrl } from '../../lib/api.ts';

const pollMs = 2000;

interface ClientsFrame {
  status?: string;
  data?: { online?: string[] };
}

export function useOnlineNodes(): ReadonlySet<string> | undefined {
  const [online, setOnline] = useState<ReadonlySet<string>>();
  useEffect(() => {
    let ws: WebSocket | undefined;
    let poll: ReturnType<typeof setInterval> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      ws = new WebSocket(socketUrl('/api/clients'));
      const ask = () => ws?.readyState === WebSocket.OPEN && ws.send('get');
      ws.onopen = () => {
        ask();
        poll = setInterval(ask, pollMs);
      };
      ws.onmessage = (e) => {
        if (typeof e.data !== 'string') return;
        let frame: ClientsFrame;
        try {
          frame = JSON.parse(e.data) as ClientsFrame;
        } catch {
          return; // not an answer to `get`; the next poll brings one
        }
        if (frame.status === 'success') setOnline(new Set(frame.data?.online ?? []));
      };
      ws.onclose = () => {
        clearInterval(poll);
        if (!stopped) retry = setTimeout(connect, pollMs);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearInterval(poll);
      clearTimeout(retry);
      ws?.close();
    };
  }, []);
  return online;
}
