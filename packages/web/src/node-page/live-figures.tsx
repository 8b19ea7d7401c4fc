// The node right now: figures from its latest report, each with the last few minutes as a line.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatPercent, formatSpeed } from '../lib/format.ts';
import type { LiveReport, NodeWire } from './node-wire.ts';
import { Sparkline, type SparkLine } from './sparkline.tsx';

interface Figure {
  id: string;
  value: string;
  sub?: string;
  lines?: SparkLine[];
  max?: number;
}

const pct = (used: number, total: number) => (total > 0 ? (used / total) * 100 : 0);

type Translate = TFunction<'node'>;

function figures(reports: readonly LiveReport[], node: NodeWire, t: Translate): Figure[] {
  const r = reports.at(-1)!;
  const ramTotal = r.ram.total || node.mem_total;
  const swapTotal = r.swap.total || node.swap_total;
  const diskTotal = r.disk.total || node.disk_total;
  const cpu = r.cpu.usage ?? 0;
  return [
    { id: 'cpu', value: `${cpu.toFixed(1)}%`, sub: t('live.cores', { n: node.cpu_cores }), lines: [{ values: reports.map((x) => x.cpu.usage ?? 0) }], max: 100 },
    {
      id: 'ram', value: formatPercent(r.ram.used, ramTotal), sub: `${formatBytes(r.ram.used)} / ${formatBytes(ramTotal)}`,
      lines: [{ values: reports.map((x) => pct(x.ram.used, x.ram.total || ramTotal)) }], max: 100,
    },
    { id: 'swap', value: swapTotal > 0 ? formatPercent(r.swap.used, swapTotal) : '—', sub: `${formatBytes(r.swap.used)} / ${formatBytes(swapTotal)}` },
    { id: 'disk', value: formatPercent(r.disk.used, diskTotal), sub: `${formatBytes(r.disk.used)} / ${formatBytes(diskTotal)}` },
    {
      id: 'network', value: `↑ ${formatSpeed(r.network.up)}\n↓ ${formatSpeed(r.network.down)}`,
      sub: t('live.totals', { up: formatBytes(r.network.totalUp), down: formatBytes(r.network.totalDown) }),
      lines: [{ values: reports.map((x) => x.network.up) }, { values: reports.map((x) => x.network.down) }],
    },
    { id: 'load', value: `${+r.load.load1.toFixed(2)}`, sub: `${+r.load.load5.toFixed(2)} · ${+r.load.load15.toFixed(2)}`, lines: [{ values: reports.map((x) => x.load.load1) }] },
    { id: 'connections', value: `${r.connections.tcp + r.connections.udp}`, sub: t('live.tcpUdp', { tcp: r.connections.tcp, udp: r.connections.udp }) },
    { id: 'process', value: `${r.process}` },
  ];
}

export function LiveFigures({ reports, node }: { reports: readonly LiveReport[]; node: NodeWire }) {
  const { t, i18n } = useTranslation('node');
  const latest = reports.at(-1);
  return (
    <section className="card live-card" data-testid="live">
      <h2>
        {t('live.title')}
        {latest && (
          <span className="live-updated muted" data-testid="live-updated">
            {t('live.updated', { time: new Date(latest.updated_at).toLocaleTimeString(i18n.language, { hourCycle: 'h23' }) })}
          </span>
        )}
      </h2>
      {reports.length === 0 ? (
        <p className="muted" data-testid="live-empty">
          {t('live.noReport')}
        </p>
      ) : (
        <div className="figure-grid">
          {figures(reports, node, t).map((f) => (
            <div key={f.id} className="figure" data-figure={f.id}>
              <div className="figure-label">{t(`live.${f.id}`)}</div>
              <div className="figure-value">{f.value}</div>
              {f.sub && <div className="figure-sub muted">{f.sub}</div>}
              {f.lines && <Sparkline lines={f.lines} max={f.max} />}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
