// Live state of one node: the last minute from /api/recent, then the /api/clients socket asked
// `get <uuid>`: every second while the live range is shown, every 2 s otherwise. Reports are
// merged by `updated_at`, so a repeated answer adds nothing; the oldest drop off past the bound.
import { useEffect, useState } from 'react';
import { apiGet } from '../lib/api.ts';
import { openClientsFeed } from '../lib/clients-feed.ts';
import { nodePageLimits } from './limits.ts';
import { mergeReports } from './live-window.ts';
import type { LiveReport } from './node-wire.ts';

export interface LiveNode {
  reports: LiveReport[];
  /** undefined until the socket has answered once */
  online: boolean | undefined;
}

export function useLiveNode(uuid: string, fast: boolean): LiveNode {
  const [reports, setReports] = useState<LiveReport[]>([]);
  const [online, setOnline] = useState<boolean>();

  // on opening, and again when the live range is chosen: the minute the socket did not see
  useEffect(() => {
    const ctl = new AbortController();
    apiGet<LiveReport[]>(`/api/recent/${encodeURIComponent(uuid)}`, ctl.signal).then(
      (list) => setReports((old) => mergeReports(old, Array.isArray(list) ? list : [])),
      () => {}, // the socket fills in the figures anyway
    );
    return () => ctl.abort();
  }, [uuid, fast]);

  useEffect(
    () =>
      openClientsFeed({
        uuid,
        everyMs: fast ? nodePageLimits.live.pollMs : nodePageLimits.idlePollMs,
        onData: (d) => {
          setOnline(d.online.includes(uuid));
          const report = d.data[uuid];
          if (report) setReports((old) => (old.at(-1)?.updated_at === report.updated_at ? old : mergeReports(old, [report])));
        },
      }),
    [uuid, fast],
  );

  return { reports, online };
}
