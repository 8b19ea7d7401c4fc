// One uPlot time chart in a card: resizes with its container, takes its colours from the page's
// CSS variables, and says so plainly when there is nothing to draw. `data-points` tells how many
// x positions carry a value, which the browser tests read.
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { axisFormats, binaryIncrs, fullTime, timeTicks, type AxisKind } from './chart-format.ts';
import { countPoints, type ChartModel } from './chart-model.ts';
import { palette, useThemeColors, type ThemeColors } from './use-theme-colors.ts';

export interface TimeChartProps {
  id: string;
  title: string;
  model: ChartModel;
  /** the x window in Unix seconds */
  range: [number, number];
  axis: AxisKind;
  /** a fixed top of the y axis (100 for percentages); from the data otherwise */
  yMax?: number;
  /** charts with the same key move their cursors together */
  syncKey?: string;
  /** shade the area under each line; off where series overlap or break often */
  fill?: boolean;
  emptyText: string;
}

const height = 180;

export function TimeChart(p: TimeChartProps) {
  const { t, i18n } = useTranslation('node');
  const colors = useThemeColors();
  const wrap = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const points = countPoints(p.model);
  const data = useMemo(() => [p.model.xs, ...p.model.series.map((s) => s.values)] as uPlot.AlignedData, [p.model]);
  // New data and a moved window reach a live chart every second: they go into the chart that is
  // there (setData), read through refs; only a change of look or of series builds a new one.
  const latest = useRef({ data, range: p.range });
  latest.current = { data, range: p.range };
  const shape = p.model.series.map((s) => s.label).join('\n');
  const drawn = points > 0;

  useEffect(() => {
    const el = wrap.current;
    if (!el || !drawn) return;
    const u = new uPlot(options(p, () => latest.current.range, colors, i18n.language, t('chart.time'), el.clientWidth), latest.current.data, el);
    plot.current = u;
    // Resizing inside the observer's callback can re-trigger it; the next frame breaks the loop.
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => u.setSize({ width: el.clientWidth, height }));
    });
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
      u.destroy();
      plot.current = undefined;
    };
  }, [colors, i18n.language, t, drawn, shape, p.axis, p.yMax, p.syncKey, p.fill]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data, p.range[0], p.range[1]]);

  return (
    <section className="card chart-card" data-chart={p.id} data-points={points}>
      <h3>{p.title}</h3>
      {points === 0 ? <div className="chart-empty">{p.emptyText}</div> : <div className="chart-plot" ref={wrap} />}
    </section>
  );
}

function options(p: TimeChartProps, range: () => [number, number], c: ThemeColors, lang: string, timeLabel: string, width: number): uPlot.Options {
  const fmt = axisFormats[p.axis];
  const axisStyle = { stroke: c.muted, grid: { stroke: c.border, width: 1 }, ticks: { stroke: c.border, width: 1 } };
  const ticks = timeTicks(lang, () => range()[1] - range()[0]);
  const when = fullTime(lang);
  return {
    width,
    height,
    cursor: { drag: { x: false, y: false }, sync: p.syncKey ? { key: p.syncKey } : undefined },
    scales: {
      x: { time: true, range: () => range() },
      y: { range: (_u, _min, max) => [0, p.yMax ?? (max > 0 ? max * 1.1 : 1)] },
    },
    axes: [
      { ...axisStyle, space: 70, values: (_u, splits) => splits.map(ticks) },
      {
        ...axisStyle,
        incrs: p.axis === 'bytes' || p.axis === 'speed' ? binaryIncrs : undefined,
        values: (_u, splits) => splits.map(fmt),
        // Wide enough for the longest label ("512.0 MiB/s") without clipping it.
        size: (_u, values) => Math.max(44, ...(values ?? []).map((v) => Math.ceil(String(v).length * 7.5) + 26)),
      },
    ],
    series: [
      { label: timeLabel, value: (_u, v) => (v == null ? '—' : when(v)) },
      ...p.model.series.map((s, i) => {
        const color = palette[i % palette.length]!;
        const f = s.format ?? fmt;
        return { label: s.label, stroke: color, fill: p.fill === false ? undefined : `${color}1a`, width: 1.5, value: (_u: uPlot, v: number | null) => (v == null ? '—' : f(v)) };
      }),
    ],
  };
}
