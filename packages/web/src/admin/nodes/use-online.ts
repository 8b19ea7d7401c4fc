// Which nodes are online, from the live socket /api/clients (public-api.md §6.14). The socket is
// pull-only, so we ask every few seconds, and reconnect after a drop as Komari's UI does.
import { useEffect, useState } from 'react';
import { socketUrl } from '../../lib/api.ts';

const askEveryMs = 3000;
const reconnectAfterMs = 2000;

interface LiveReply {
  status?: string;
  data?: { online?: string[] };
}

export function useOnline(): Set<string> | undefined {
  const [online, setOnline] = useState<Set<string>>();
  useEffect(() => {
    let ws: WebSocket | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const connect = () => {
      ws = new WebSocket(socketUrl('/api/clients'));
      ws.onopen = () => {
        ws?.send('get');
        timer = setInterval(() => ws?.send('get'), askEveryMs);
      };
      ws.onmessage = (e) => {
        try {
          const reply = JSON.parse(String(e.data)) as LiveReply;
          if (reply.status === 'success') setOnline(new Set(reply.data?.online ?? []));
        } catch {
          // a malformed frame is skipped; the next answer comes in a few seconds
        }
      };
      ws.onclose = () => {
        clearInterval(timer);
        if (!stopped) retry = setTimeout(connect, reconnectAfterMs);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearInterval(timer);
      clearTimeout(retry);
      ws?.close();
    };
  }, []);
  return online;
}
