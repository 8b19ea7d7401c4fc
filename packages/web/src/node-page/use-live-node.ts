// Live state of one node: the last minute from /api/recent, then the /api/clients socket asked
// `get <uuid>` every 2 s. Reports are merged by `updated_at`, so a repeated answer adds nothing.
import { useEffect, useState } from 'react';
import { apiGet } from '../lib/api.ts';
import { openClientsFeed } from '../lib/clients-feed.ts';
import type { LiveReport } from './node-wire.ts';

const pollMs = 2000;
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

  useEffect(
    () =>
      openClientsFeed({
        uuid,
        everyMs: pollMs,
        onData: (d) => {
          setOnline(d.online.includes(uuid));
          const report = d.data[uuid];
          if (report) setReports((old) => (old.at(-1)?.updated_at === report.updated_at ? old : merge(old, [report])));
        },
      }),
    [uuid],
  );

  return { reports, online };
}
