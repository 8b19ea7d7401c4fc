// Live state of one node: the last minute from /api/recent, then the /api/clients socket asked
// `get <uuid>` every 2 s (the server never pushes), reconnecting 2 s after a close, as Komari's
// own frontend does. Reports are merged by `updated_at`, so a repeated answer adds nothing.
import { useEffect, useState } from 'react';
import { apiGet, socketUrl } from '../lib/api.ts';
import type { LiveFeed, LiveReport } from './node-wire.ts';

const pollMs = 2000;
const reconnectMs = 2000;
/** reports kept for the sparklines: a few minutes at the usual cadence */
const keep = 180;

export interface LiveNode {
  reports: LiveReport[];
  /** undefined until the socket has answered once */
  online: boolean | undefined;
}

function merge(old: readonly LiveReport[], add: readonly LiveReport[]): LiveReport[] {
  const byTime = new Map<string, LiveReport>();
  for (const r of [...old, ...add]) byTime.set(r.updated_at, r);
  return [...byTime.values()].sort((a, b) => Date.parse(a.updated_at) - Date.parse(b.updated_at)).slice(-keep);
}

export function useLiveNode(uuid: string): LiveNode {
  const [reports, setReports] = useState<LiveReport[]>([]);
  const [online, setOnline] = useState<boolean>();

  useEffect(() => {
    const ctl = new AbortController();
    apiGet<LiveReport[]>(`/api/recent/${encodeURIComponent(uuid)}`, ctl.signal).then(
      (list) => setReports((old) => merge(old, Array.isArray(list) ? list : [])),
      () => {}, // the socket fills in the figures anyway
    );
    return () => ctl.abort();
  }, [uuid]);

  useEffect(() => {
    let closed = false;
    let ws: WebSocket | undefined;
    let poll: ReturnType<typeof setInterval> | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const connect = () => {
      ws = new WebSocket(socketUrl('/api/clients'));
      ws.onopen = () => {
        const ask = () => ws?.readyState === WebSocket.OPEN && ws.send(`get ${uuid}`);
        ask();
        poll = setInterval(ask, pollMs);
      };
      ws.onmessage = (e: MessageEvent<string>) => {
        const msg = JSON.parse(e.data) as { status?: string; data?: LiveFeed };
        if (msg.status !== 'success' || !msg.data) return;
        setOnline(msg.data.online.includes(uuid));
        const report = msg.data.data[uuid];
        if (report) setReports((old) => (old.at(-1)?.updated_at === report.updated_at ? old : merge(old, [report])));
      };
      ws.onclose = () => {
        clearInterval(poll);
        if (!closed) retry = setTimeout(connect, reconnectMs);
      };
    };
    connect();
    return () => {
      closed = true;
      clearInterval(poll);
      clearTimeout(retry);
      // Closing a socket still connecting makes Chromium log an error; let it open first.
      if (ws?.readyState === WebSocket.CONNECTING) ws.onopen = () => ws?.close();
      else ws?.close();
    };
  }, [uuid]);

  return { reports, online };
}
