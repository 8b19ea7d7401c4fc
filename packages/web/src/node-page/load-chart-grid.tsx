// The load charts laid out in their grid, one per gauge; the history ranges and the live range
// differ only in where their records come from and the window they show.
import { useTranslation } from 'react-i18next';
import type { loadCharts } from './load-series.ts';
import { TimeChart } from './time-chart.tsx';

export function LoadChartGrid({ charts, range, emptyText }: { charts: ReturnType<typeof loadCharts>; range: [number, number]; emptyText: string }) {
  const { t } = useTranslation('node');
  return (
    <div className="chart-grid">
      {charts.map((c) => (
        <TimeChart key={c.id} id={c.id} title={t(`load.${c.id}`)} model={c.model} range={range} axis={c.axis} yMax={c.yMax} syncKey="load" emptyText={emptyText} />
      ))}
    </div>
  );
}
