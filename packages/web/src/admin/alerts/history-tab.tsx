// History tab: every notice sent (tests and logins included), a page at a time.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.ts';
import { loadHistory } from './alerts-api.ts';
import { HistoryTable } from './history-table.tsx';
import { LoadFailed } from './load-failed.tsx';

const pageSize = 50;

export function HistoryTab() {
  const { t } = useTranslation('admin-alerts');
  const [page, setPage] = useState(1);
  const history = useAsync((signal) => loadHistory(page, pageSize, signal), [page]);
  if (history.error) return <LoadFailed error={history.error} retry={history.reload} />;
  if (!history.data) return <p className="muted">{t('common:loading')}</p>;
  const pages = Math.max(1, Math.ceil(history.data.total / pageSize));

  return (
    <div className="alerts-tab" data-testid="alerts-history">
      <div className="tools-title">
        <h2>{t('history.title')}</h2>
        <button type="button" onClick={history.reload} disabled={history.loading}>
          {t('history.refresh')}
        </button>
      </div>
      {history.data.items.length === 0 ? (
        <p className="card muted alerts-empty">{t('history.empty')}</p>
      ) : (
        <HistoryTable items={history.data.items} />
      )}
      {pages > 1 && (
        <nav className="alerts-pager" aria-label={t('history.pages')}>
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('history.previous')}
          </button>
          <span className="muted">{t('history.pageOf', { page, pages, total: history.data.total })}</span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)} data-testid="history-next">
            {t('history.next')}
          </button>
        </nav>
      )}
    </div>
  );
}
