// Admin → Audit log: who did what and from where, newest first, a page at a time.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { apiKeyActor, loadAuditPage, pageSizes, type AuditEntry } from './logs-api.ts';
import { formatDateTime } from './time-text.ts';
import '../shared/tools-page.css';
import './logs.css';

/** Types with their own colour; the rest (login, logout, terminal, …) are neutral. */
const levelClass: Record<string, string> = { warn: 'log-warn', error: 'log-error', info: 'log-info' };
const knownTypes = new Set(['info', 'warn', 'error', 'login', 'logout', 'terminal', 'renewal', 'visitor']);

export default function LogsPage() {
  const { t, i18n } = useTranslation('admin-logs');
  const { me } = useSession();
  const [page, setPage] = useState(1);
  const [size, setSize] = useState<number>(pageSizes[0]);
  const data = useAsync((signal) => loadAuditPage(page, size, signal), [page, size]);
  const pages = Math.max(1, Math.ceil((data.data?.total ?? 0) / size));

  const actor = (e: AuditEntry) => {
    if (!e.uuid) return t('actor.system');
    if (e.uuid === apiKeyActor) return t('actor.apiKey');
    if (e.uuid === me?.uuid) return me.username;
    return e.uuid.slice(0, 8);
  };

  return (
    <section className="tools-page logs-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
        <button type="button" onClick={data.reload} disabled={data.loading}>
          {t('refresh')}
        </button>
      </div>
      {data.error && (
        <p className="error-text" role="alert">
          {errorText(t, data.error)}
        </p>
      )}
      <div className="table-scroll">
        <table className="grid logs-table tools-stack" data-testid="logs-table" aria-busy={data.loading}>
          <thead>
            <tr>
              <th>{t('columns.time')}</th>
              <th>{t('columns.user')}</th>
              <th>{t('columns.ip')}</th>
              <th>{t('columns.level')}</th>
              <th>{t('columns.message')}</th>
            </tr>
          </thead>
          <tbody>
            {data.data?.logs.map((e) => (
              <tr key={e.id}>
                <td className="tools-stack-meta">{formatDateTime(e.time, i18n.language)}</td>
                <td className="tools-stack-meta" title={e.uuid || undefined}>
                  {actor(e)}
                </td>
                <td className="tools-mono tools-stack-meta">{e.ip}</td>
                <td className="tools-stack-meta">
                  <span className={`log-level ${levelClass[e.msg_type] ?? ''}`}>{knownTypes.has(e.msg_type) ? t(`types.${e.msg_type}`) : e.msg_type}</span>
                </td>
                <td className="log-message tools-stack-main">{e.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data.data?.logs.length === 0 && <p className="muted logs-empty">{t('empty')}</p>}
      </div>
      <nav className="logs-pager" aria-label={t('pager.label')}>
        <button type="button" disabled={page <= 1} onClick={() => setPage((p) => p - 1)} data-testid="logs-prev">
          {t('pager.prev')}
        </button>
        <span data-testid="logs-position">{t('pager.position', { page, pages, total: data.data?.total ?? 0 })}</span>
        <button type="button" disabled={page >= pages} onClick={() => setPage((p) => p + 1)} data-testid="logs-next">
          {t('pager.next')}
        </button>
        <label className="inline">
          <span>{t('pager.size')}</span>
          <select
            value={size}
            data-testid="logs-size"
            onChange={(e) => {
              setSize(Number(e.target.value));
              setPage(1);
            }}
          >
            {pageSizes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      </nav>
    </section>
  );
}
