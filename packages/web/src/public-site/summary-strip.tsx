// Fleet totals over the public nodes: online/total, total speed, total traffic, and whether the
// live feed is flowing. Recomputed once per flushed frame (a loop over the store, no re-render
// of the cards).
import { useTranslation } from 'react-i18next';
import { formatBytes, formatSpeed } from '../lib/format.ts';
import type { LiveStore } from './live-store.ts';
import type { NodeWire } from './live-types.ts';
import { useLinkState, useLiveStore, useLiveVersion } from './use-live.ts';

function totals(nodes: readonly NodeWire[], store: LiveStore) {
  let online = 0;
  let up = 0;
  let down = 0;
  let totalUp = 0;
  let totalDown = 0;
  for (const n of nodes) {
    const e = store.get(n.uuid);
    const net = e.report?.network;
    totalUp += net?.totalUp ?? 0;
    totalDown += net?.totalDown ?? 0;
    if (!e.online) continue;
    online++;
    up += net?.up ?? 0;
    down += net?.down ?? 0;
  }
  return { online, up, down, totalUp, totalDown };
}

export function SummaryStrip({ nodes }: { nodes: readonly NodeWire[] }) {
  const { t } = useTranslation('dashboard');
  const store = useLiveStore();
  useLiveVersion();
  const link = useLinkState();
  const s = totals(nodes, store);
  return (
    <section className="dash-summary" aria-label={t('summary.label')}>
      <div className="card dash-stat">
        <span className="dash-label">{t('summary.online')}</span>
        <strong data-testid="summary-online">
          {s.online} / {nodes.length}
        </strong>
      </div>
      <div className="card dash-stat">
        <span className="dash-label">{t('summary.speed')}</span>
        <strong data-testid="summary-speed">
          ↑ {formatSpeed(s.up)} ↓ {formatSpeed(s.down)}
        </strong>
      </div>
      <div className="card dash-stat">
        <span className="dash-label">{t('summary.traffic')}</span>
        <strong data-testid="summary-traffic">
          ↑ {formatBytes(s.totalUp)} ↓ {formatBytes(s.totalDown)}
        </strong>
      </div>
      <div className="card dash-stat">
        <span className="dash-label">{t('summary.feed')}</span>
        <strong className={`dash-link link-${link}`} data-testid="summary-link">
          {t(`link.${link}`)}
        </strong>
      </div>
    </section>
  );
}
