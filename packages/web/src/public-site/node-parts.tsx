// Small pieces shared by the card and the table row: status badge, usage meter, price and
// expiry, traffic against its limit.
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../lib/format.ts';
import { expiryOf, priceText } from './billing.ts';
import { trafficUsed } from '@komari-ts/protocol/traffic';
import { level, type NodeFigures, type Usage } from './node-figures.ts';
import type { NodeWire } from './live-types.ts';

const limitTypes: readonly string[] = ['max', 'min', 'sum', 'up', 'down'];

export function StatusBadge({ online }: { online: boolean }) {
  const { t } = useTranslation('dashboard');
  return (
    <span className={`dash-status ${online ? 'is-online' : 'is-offline'}`} data-field="status">
      {online ? t('status.online') : t('status.offline')}
    </span>
  );
}

export function Meter({ percent }: { percent: number | undefined }) {
  const p = percent ?? 0;
  return (
    <span className={`dash-meter level-${level(percent)}`} aria-hidden="true">
      <span style={{ transform: `scaleX(${(p / 100).toFixed(3)})` }} />
    </span>
  );
}

export function pct(percent: number | undefined): string {
  return percent === undefined ? '–' : `${percent.toFixed(1)}%`;
}

/** "2.0 GiB / 8.0 GiB" */
export function usageText(u: Usage): string {
  return u.total > 0 ? `${formatBytes(u.used)} / ${formatBytes(u.total)}` : formatBytes(u.used);
}

export function Billing({ node }: { node: NodeWire }) {
  const { t } = useTranslation('dashboard');
  const price = priceText(node, t);
  const expiry = expiryOf(node, t);
  if (!price && !expiry) return null;
  return (
    <span className="dash-billing" data-field="billing">
      {price && <span>{price}</span>}
      {expiry && (
        <span className={`dash-expiry expiry-${expiry.state}`} title={expiry.date}>
          {expiry.text}
        </span>
      )}
    </span>
  );
}

/** Traffic used against `traffic_limit`, counted by `traffic_limit_type`; nothing without a limit. */
export function TrafficLimit({ node, f }: { node: NodeWire; f: NodeFigures }) {
  const { t } = useTranslation('dashboard');
  if (!node.traffic_limit || node.traffic_limit <= 0) return null;
  const type = limitTypes.includes(node.traffic_limit_type) ? node.traffic_limit_type : 'max';
  const used = trafficUsed(type, f.totalUp, f.totalDown);
  const percent = Math.min(100, (used / node.traffic_limit) * 100);
  return (
    <span className="dash-limit" data-field="traffic-limit" title={t(`limitType.${type}`)}>
      <span className="dash-label">{t('field.trafficLimit')}</span>
      <span className="dash-limit-text">
        {formatBytes(used)} / {formatBytes(node.traffic_limit)} · {pct(percent)}
      </span>
      <Meter percent={percent} />
    </span>
  );
}
