// What a vacuum did: the size before and after and the room given back, or why a part failed.
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../lib/format.ts';
import { partNames, type VacuumResult } from './database-api.ts';

export function VacuumOutcome({ result }: { result: VacuumResult }) {
  const { t } = useTranslation('admin-database');
  const { before, after } = result;
  const gained = before !== null && after !== null ? Math.max(0, before - after) : null;
  return (
    <div className={result.all_succeeded ? 'database-outcome ok' : 'database-outcome failed'} role="status" data-testid="vacuum-result" data-ok={result.all_succeeded}>
      <p className={result.all_succeeded ? 'ok-text' : 'error-text'}>{result.all_succeeded ? t('vacuum.done') : t('vacuum.failed')}</p>
      {before !== null && after !== null && gained !== null && (
        <p>{t('vacuum.figures', { before: formatBytes(before), after: formatBytes(after), gained: formatBytes(gained) })}</p>
      )}
      {partNames.map((name) => {
        const part = result[name];
        const problem = part && (part.error ?? part.size_error);
        if (!part || !problem) return null;
        return (
          <p key={name} className="error-text">
            {t(`parts.${name}`)}: {problem}
          </p>
        );
      })}
    </div>
  );
}
