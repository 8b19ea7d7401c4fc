// A tab whose data did not load: the reason and a retry, instead of an empty form that would
// overwrite what is stored.
import { useTranslation } from 'react-i18next';
import { errorText } from '../shared/error-text.ts';

export function LoadFailed({ error, retry }: { error: Error; retry: () => void }) {
  const { t } = useTranslation('admin-alerts');
  return (
    <p className="error-text" role="alert">
      {errorText(t, error)}{' '}
      <button type="button" onClick={retry}>
        {t('common:retry')}
      </button>
    </p>
  );
}
