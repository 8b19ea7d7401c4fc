// The live range: the load charts over the last few minutes, from the reports the page already
// receives (the last minute from /api/recent, then one a second from the socket). The window
// slides every second even when no report comes, so a silent node visibly falls behind.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { nodePageLimits } from './limits.ts';
import { liveRecords } from './live-records.ts';
import { loadCharts } from './load-series.ts';
import type { LiveReport, NodeWire } from './node-wire.ts';
import { LoadChartGrid } from './load-chart-grid.tsx';

const { windowSeconds, pollMs, pingHours } = nodePageLimits.live;

function useNowSeconds(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now() / 1000);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() / 1000), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function LiveCharts({ node, reports }: { node: NodeWire; reports: readonly LiveReport[] }) {
  const { t } = useTranslation('node');
  const now = useNowSeconds(pollMs);
  const newest = reports.at(-1);
  // the browser's clock, unless the server's reports are ahead of it
  const end = Math.max(now, newest ? Date.parse(newest.updated_at) / 1000 : 0);
  const start = end - windowSeconds;
  // the reports are already bounded to the window (mergeReports); a stale one just slides off the left
  const charts = useMemo(
    () => loadCharts(liveRecords(node.uuid, reports), node, reports.some((r) => r.gpu !== undefined), t),
    [reports, node, t],
  );
  return (
    <section className="history-block" data-testid="load-charts" data-range="live">
      <h2>{t('load.title')}</h2>
      <p className="muted live-range-note">{t('range.liveNote', { minutes: windowSeconds / 60, hours: pingHours })}</p>
      <LoadChartGrid charts={charts} range={[start, end]} emptyText={t('load.liveEmpty')} />
    </section>
  );
}
