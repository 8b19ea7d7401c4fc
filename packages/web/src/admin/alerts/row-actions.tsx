// A rule row's Edit and Delete; Delete asks once more in the row itself (no modal on a phone).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function RowActions({ onEdit, onDelete }: { onEdit: () => void; onDelete: () => Promise<void> }) {
  const { t } = useTranslation('admin-alerts');
  const [confirming, setConfirming] = useState(false);
  return (
    <div className="tools-row-actions">
      {confirming ? (
        <>
          <button type="button" className="danger" onClick={() => void onDelete().finally(() => setConfirming(false))}>
            {t('confirmDelete')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('common:cancel')}
          </button>
        </>
      ) : (
        <>
          <button type="button" onClick={onEdit}>
            {t('common:edit')}
          </button>
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('common:delete')}
          </button>
        </>
      )}
    </div>
  );
}
