// Clearing history: every node's load records, or load and ping records. Both ask first; nodes,
// settings and tasks stay.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { ConfirmDialog } from '../shared/confirm-dialog.tsx';
import { clearRecords, type ClearScope } from './database-api.ts';

const scopes: readonly ClearScope[] = ['load', 'all'];

export function ClearRecordsCard({ onCleared }: { onCleared: () => void }) {
  const { t } = useTranslation('admin-database');
  const [asking, setAsking] = useState<ClearScope>();
  const [done, setDone] = useState<ClearScope>();
  const clear = async (scope: ClearScope) => {
    await clearRecords(scope);
    setAsking(undefined);
    setDone(scope);
    onCleared();
  };
  return (
    <section className="card database-card" data-testid="clear-records">
      <h2>{t('clear.title')}</h2>
      <p className="muted">{t('clear.hint')}</p>
      <div className="tools-actions">
        {scopes.map((scope) => (
          <button
            key={scope}
            type="button"
            className="danger"
            data-testid={`clear-${scope}`}
            onClick={() => {
              setDone(undefined);
              setAsking(scope);
            }}
          >
            {t(`clear.${scope}.button`)}
          </button>
        ))}
      </div>
      <MessageLine kind="ok" text={done && t(`clear.${done}.done`)} testId="clear-result" />
      {asking && (
        <ConfirmDialog title={t(`clear.${asking}.title`)} label={t('clear.confirm')} action={() => clear(asking)} onClose={() => setAsking(undefined)} testId="clear-dialog">
          <p>{t(`clear.${asking}.question`)}</p>
          <p className="muted">{t('clear.kept')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
