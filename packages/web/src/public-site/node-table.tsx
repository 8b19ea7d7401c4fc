// Every node as one table row: denser than the cards for large fleets. Built from grid rows in
// blocks rather than a <table>: a changed cell in a real table re-lays out all 1,000 rows, while
// a block of rows is laid out on its own and skipped entirely off screen. ARIA roles keep it a
// table for assistive technology. Rows follow the card rules (memoised, subscribed while seen).
import { memo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatSpeed, formatUptime, regionFlag } from '../lib/format.ts';
import { followLink } from './follow-link.ts';
import type { NodeWire } from './live-types.ts';
import { figuresOf, type Usage } from './node-figures.ts';
import { Billing, Meter, pct, StatusBadge, TrafficLimit, usageText } from './node-parts.tsx';
import { useNodeLive } from './use-live.ts';
import { useOnScreen } from './use-on-screen.ts';

const blockSize = 25;
const columns = ['name', 'status', 'os', 'cpu', 'memory', 'swap', 'disk', 'speed', 'traffic', 'load', 'uptime', 'connections', 'billing', 'trafficLimit'] as const;

function UsageCell({ u, field }: { u: Usage; field: string }) {
  return (
    <span role="cell" className="dash-usage-cell">
      <span data-field={field} title={usageText(u)}>
        {pct(u.percent)}
      </span>
      <Meter percent={u.percent} />
    </span>
  );
}

const NodeRow = memo(function NodeRow({ node }: { node: NodeWire }) {
  const { t } = useTranslation('dashboard');
  const ref = useRef<HTMLDivElement>(null);
  const f = figuresOf(node, useNodeLive(node.uuid, useOnScreen(ref)));
  return (
    <div ref={ref} role="row" className={`dash-tr${f.online ? '' : ' is-offline'}`} data-testid="node-row" data-uuid={node.uuid}>
      <span role="cell" className="dash-name-cell">
        <a href={`/instance/${encodeURIComponent(node.uuid)}`} onClick={followLink}>
          {node.region && <span className="dash-flag">{regionFlag(node.region)}</span>}
          <span data-field="name">{node.name}</span>
        </a>
      </span>
      <span role="cell">
        <StatusBadge online={f.online} />
      </span>
      <span role="cell" className="dash-os-cell" data-field="os" title={node.os}>
        {node.os || '–'}
      </span>
      {f.hasReport ? (
        <>
          <UsageCell field="cpu" u={{ used: f.cpu, total: 100, percent: f.cpu }} />
          <UsageCell field="memory" u={f.ram} />
          <UsageCell field="swap" u={f.swap} />
          <UsageCell field="disk" u={f.disk} />
          <span role="cell" data-field="speed">
            ↑ {formatSpeed(f.up)}
            <br />↓ {formatSpeed(f.down)}
          </span>
          <span role="cell" data-field="traffic">
            ↑ {formatBytes(f.totalUp)}
            <br />↓ {formatBytes(f.totalDown)}
          </span>
          <span role="cell" data-field="load">
            {f.load.map((l) => l.toFixed(2)).join(' / ')}
          </span>
          <span role="cell" data-field="uptime">
            {formatUptime(f.uptime)}
          </span>
          <span role="cell" data-field="connections">
            {f.tcp} / {f.udp}
          </span>
        </>
      ) : (
        <span role="cell" className="dash-nodata-cell muted">
          {t('status.noData')}
        </span>
      )}
      <span role="cell">
        <Billing node={node} />
      </span>
      <span role="cell">
        <TrafficLimit node={node} f={f} />
      </span>
    </div>
  );
});

export function NodeTable({ nodes }: { nodes: readonly NodeWire[] }) {
  const { t } = useTranslation('dashboard');
  const blocks: NodeWire[][] = [];
  for (let i = 0; i < nodes.length; i += blockSize) blocks.push(nodes.slice(i, i + blockSize));
  return (
    <div className="table-scroll">
      <div role="table" className="dash-table" data-testid="node-table" aria-label={t('view.table')}>
        <div role="rowgroup">
          <div role="row" className="dash-tr dash-th">
            {columns.map((c) => (
              <span role="columnheader" key={c} title={c === 'connections' ? t('field.connectionsHint') : undefined}>
                {t(`field.${c}`)}
              </span>
            ))}
          </div>
        </div>
        {blocks.map((block) => (
          <div role="rowgroup" className="dash-rows" key={block[0]!.uuid}>
            {block.map((n) => (
              <NodeRow key={n.uuid} node={n} />
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
