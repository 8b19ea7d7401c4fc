// The load history of one node: CPU, memory and swap, disk, network, load, connections and
// processes over the chosen window, one chart each.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { loadCharts } from './load-series.ts';
import type { NodeWire } from './node-wire.ts';
import { LoadChartGrid } from './load-chart-grid.tsx';
import { useLoadRecords, windowOf } from './use-history.ts';
import { HistoryStatus } from './history-status.tsx';

export function LoadCharts({ node, hours }: { node: NodeWire; hours: number }) {
  const { t } = useTranslation('node');
  const state = useLoadRecords(node.uuid, hours);
  const shown = state.data;
  const charts = useMemo(
    () => (shown ? loadCharts(shown.body.records, node, shown.body.has_gpu_data === true, t) : []),
    [shown, node, t],
  );
  const range = useMemo(() => windowOf(shown?.hours ?? hours, charts[0]?.model.xs ?? []), [shown, charts, hours]);
  return (
    <section className="history-block" data-testid="load-charts" data-hours={shown?.hours} aria-busy={state.loading}>
      <h2>{t('load.title')}</h2>
      <HistoryStatus state={state} />
      <LoadChartGrid charts={charts} range={range} emptyText={t('load.empty')} />
    </section>
  );
}
