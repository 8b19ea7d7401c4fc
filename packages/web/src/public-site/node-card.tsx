// One node as a card. Memoised on the node object and subscribed to its own live entry while on
// screen, so a report for another node never re-renders it.
import { memo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatSpeed, formatUptime, regionFlag } from '../lib/format.ts';
import { followLink } from './follow-link.ts';
import type { NodeWire } from './live-types.ts';
import { tagsOf } from './node-filters.ts';
import { figuresOf, type Usage } from './node-figures.ts';
import { Billing, Meter, pct, StatusBadge, TrafficLimit, usageText } from './node-parts.tsx';
import type { CardFigure } from './theme-options.ts';
import { useNodeLive } from './use-live.ts';
import { useOnScreen } from './use-on-screen.ts';

function UsageLine({ label, field, u, text }: { label: string; field: string; u: Usage; text?: string }) {
  return (
    <div className="dash-line">
      <span className="dash-label">{label}</span>
      <span className="dash-value" data-field={field}>
        {text ?? `${usageText(u)} · ${pct(u.percent)}`}
      </span>
      <Meter percent={u.percent} />
    </div>
  );
}

function Pair({ label, field, children }: { label: string; field: string; children: ReactNode }) {
  return (
    <div className="dash-pair">
      <span className="dash-label">{label}</span>
      <span className="dash-value" data-field={field}>
        {children}
      </span>
    </div>
  );
}

interface Props {
  node: NodeWire;
  show: Readonly<Record<CardFigure, boolean>>;
  featured: boolean;
}

export const NodeCard = memo(function NodeCard({ node, show, featured }: Props) {
  const { t } = useTranslation('dashboard');
  const ref = useRef<HTMLAnchorElement>(null);
  const live = useNodeLive(node.uuid, useOnScreen(ref));
  const f = figuresOf(node, live);
  const tags = tagsOf(node);
  return (
    <a
      ref={ref}
      href={`/instance/${encodeURIComponent(node.uuid)}`}
      onClick={followLink}
      className={`card dash-card${f.online ? '' : ' is-offline'}${featured ? ' is-featured' : ''}`}
      data-testid="node-card"
      data-featured={featured || undefined}
      data-uuid={node.uuid}
    >
      <div className="dash-card-head">
        <span className="dash-name">
          {node.region && <span className="dash-flag">{regionFlag(node.region)}</span>}
          <span data-field="name">{node.name}</span>
        </span>
        <StatusBadge online={f.online} />
      </div>
      <div className="dash-os muted" data-field="os">
        {[node.os, node.arch, node.virtualization].filter(Boolean).join(' · ') || '–'}
      </div>
      {f.hasReport ? (
        <>
          {show.cpu && <UsageLine label={t('field.cpu')} field="cpu" u={{ used: f.cpu, total: 100, percent: f.cpu }} text={pct(f.cpu)} />}
          {show.memory && <UsageLine label={t('field.memory')} field="memory" u={f.ram} />}
          {show.memory && f.swap.total > 0 && <UsageLine label={t('field.swap')} field="swap" u={f.swap} />}
          {show.disk && <UsageLine label={t('field.disk')} field="disk" u={f.disk} />}
          <div className="dash-pairs">
            {show.network && (
              <Pair label={t('field.speed')} field="speed">
                ↑ {formatSpeed(f.up)} ↓ {formatSpeed(f.down)}
              </Pair>
            )}
            {show.network && (
              <Pair label={t('field.traffic')} field="traffic">
                ↑ {formatBytes(f.totalUp)} ↓ {formatBytes(f.totalDown)}
              </Pair>
            )}
            {show.load && (
              <Pair label={t('field.load')} field="load">
                {f.load.map((l) => l.toFixed(2)).join(' / ')}
              </Pair>
            )}
            {show.uptime && (
              <Pair label={t('field.uptime')} field="uptime">
                {formatUptime(f.uptime)}
              </Pair>
            )}
            {show.connections && (
              <Pair label={t('field.connections')} field="connections">
                TCP {f.tcp} · UDP {f.udp}
              </Pair>
            )}
          </div>
        </>
      ) : (
        <div className="dash-nodata muted">{t('status.noData')}</div>
      )}
      <TrafficLimit node={node} f={f} />
      <div className="dash-card-foot">
        {show.billing && <Billing node={node} />}
        {tags.length > 0 && (
          <span className="dash-tags">
            {tags.map((tag) => (
              <span key={tag} className="dash-tag">
                {tag}
              </span>
            ))}
          </span>
        )}
      </div>
    </a>
  );
});
