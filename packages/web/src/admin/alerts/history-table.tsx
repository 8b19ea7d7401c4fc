// The sent notices, newest first: when, what, which nodes, the text, whether it is over, and how
// each channel took it (a failed delivery shows its error on hover and when opened).
import { useTranslation } from 'react-i18next';
import type { AlertRecordWire, DeliveryResultWire } from '@komari-ts/protocol';
import { formatDateTime } from '../logs/time-text.ts';

export function HistoryTable({ items }: { items: readonly AlertRecordWire[] }) {
  const { t, i18n } = useTranslation('admin-alerts');
  const time = (iso: string | null) => formatDateTime(iso, i18n.language);
  return (
    <div className="table-scroll">
      <table className="grid tools-stack alerts-history" data-testid="history-table">
        <thead>
          <tr>
            <th>{t('history.columns.fired')}</th>
            <th>{t('history.columns.event')}</th>
            <th>{t('history.columns.nodes')}</th>
            <th>{t('history.columns.message')}</th>
            <th>{t('history.columns.resolved')}</th>
            <th>{t('history.columns.deliveries')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} data-record-id={r.id}>
              <td className="tools-stack-meta">{time(r.fired_at)}</td>
              <td className="tools-stack-main">
                <strong>{eventLabel(i18n, r.event)}</strong>
              </td>
              <td className="tools-stack-meta alerts-wrap">{r.nodes.map((n) => n.name).join(', ')}</td>
              <td className="alerts-message">{r.message}</td>
              <td className="tools-stack-meta">{r.resolved_at ? time(r.resolved_at) : r.open ? <span className="alerts-open">{t('history.open')}</span> : ''}</td>
              <td className="alerts-wrap">
                <Deliveries results={r.results} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Komari's event names (Offline, Alert, Test, …) in the admin's language; a new one as sent. */
function eventLabel(i18n: { exists(k: string): boolean; t(k: string): string }, event: string): string {
  const key = `admin-alerts:events.${event}`;
  return i18n.exists(key) ? i18n.t(key) : event;
}

function Deliveries({ results }: { results: readonly DeliveryResultWire[] }) {
  const { t } = useTranslation('admin-alerts');
  if (results.length === 0) return <span className="muted">{t('history.noDeliveries')}</span>;
  return (
    <ul className="alerts-deliveries">
      {results.map((d, i) => (
        <li key={`${d.channel_id}-${i}`} data-ok={d.ok} title={d.ok ? undefined : d.error}>
          {d.ok ? (
            <span className="alerts-chip ok">{t('history.ok', { channel: d.channel })}</span>
          ) : (
            <details>
              <summary className="alerts-chip failed">{t('history.failed', { channel: d.channel })}</summary>
              <span className="error-text alerts-delivery-error">{d.error}</span>
            </details>
          )}
        </li>
      ))}
    </ul>
  );
}
