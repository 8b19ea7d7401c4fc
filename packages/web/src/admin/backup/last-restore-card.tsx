// The last restore this server applied, as the status route reports it when the page opens.
import { useTranslation } from 'react-i18next';
import type { AsyncState } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import type { RestoreStatus } from './backup-api.ts';
import { LastRestoreView } from './last-restore-view.tsx';

export function LastRestoreCard({ status }: { status: AsyncState<RestoreStatus> }) {
  const { t } = useTranslation('admin-backup');
  return (
    <section className="card backup-card" data-testid="backup-last">
      <h2>{t('last.title')}</h2>
      {status.error ? (
        <p className="error-text">{errorText(t, status.error)}</p>
      ) : !status.data ? (
        <p className="muted">{t('common:loading')}</p>
      ) : status.data.last ? (
        <LastRestoreView last={status.data.last} />
      ) : (
        <p className="muted">{t('last.none')}</p>
      )}
      {status.data?.restoring && <p className="muted">{t('last.restoring')}</p>}
    </section>
  );
}
