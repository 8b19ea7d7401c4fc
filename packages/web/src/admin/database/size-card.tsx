// The database's size per part, and the vacuum that gives free space back, with what it gained.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../lib/format.ts';
import type { AsyncState } from '../../lib/use-async.ts';
import { ConfirmDialog } from '../shared/confirm-dialog.tsx';
import { errorText } from '../shared/error-text.ts';
import { partNames, vacuumDatabase, type DatabaseSize, type VacuumResult } from './database-api.ts';
import { VacuumOutcome } from './vacuum-outcome.tsx';

export function SizeCard({ size }: { size: AsyncState<DatabaseSize> }) {
  const { t } = useTranslation('admin-database');
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<VacuumResult>();
  const vacuum = async () => {
    const answer = await vacuumDatabase();
    setAsking(false);
    setResult(answer);
    size.reload();
  };
  const data = size.data;
  return (
    <section className="card database-card" data-testid="database-size">
      <h2>{t('size.title')}</h2>
      {size.error ? (
        <p className="error-text" role="alert">
          {errorText(t, size.error)}{' '}
          <button type="button" onClick={size.reload}>
            {t('common:retry')}
          </button>
        </p>
      ) : !data ? (
        <p className="muted">{t('common:loading')}</p>
      ) : (
        <dl className="database-figures">
          {partNames.map((name) => {
            const part = data[name];
            if (!part) return null;
            return (
              <div key={name} data-part={name}>
                <dt>{t(`parts.${name}`)}</dt>
                <dd>
                  {part.size === null ? <span className="error-text">{t('size.unmeasured', { message: part.error ?? '' })}</span> : <strong data-testid={`size-${name}`}>{formatBytes(part.size)}</strong>}
                  <span className="muted">
                    {' · '}
                    {part.driver} · {t(`location.${part.location}`)}
                  </span>
                </dd>
              </div>
            );
          })}
          {data.monitoring && data.local_total !== null && (
            <div>
              <dt>{t('size.total')}</dt>
              <dd>
                <strong>{formatBytes(data.local_total)}</strong>
              </dd>
            </div>
          )}
        </dl>
      )}
      <p className="muted">{t('vacuum.hint')}</p>
      <div className="tools-actions">
        <button type="button" onClick={() => setAsking(true)} disabled={!data} data-testid="vacuum">
          {t('vacuum.button')}
        </button>
      </div>
      {result && <VacuumOutcome result={result} />}
      {asking && (
        <ConfirmDialog title={t('vacuum.title')} label={t('vacuum.confirm')} tone="primary" action={vacuum} onClose={() => setAsking(false)} testId="vacuum-dialog">
          <p>{t('vacuum.question')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
