// What a history block says besides its charts: a first load in progress, or a failed fetch
// with a way to try again.
import { useTranslation } from 'react-i18next';
import type { AsyncState } from '../lib/use-async.ts';

export function HistoryStatus({ state }: { state: AsyncState<unknown> }) {
  const { t } = useTranslation('node');
  if (state.error) {
    return (
      <p className="error-text" role="alert">
        {t('history.failed', { message: state.error.message })}{' '}
        <button type="button" onClick={state.reload}>
          {t('common:retry')}
        </button>
      </p>
    );
  }
  if (state.loading && !state.data) return <p className="muted">{t('common:loading')}</p>;
  return null;
}
