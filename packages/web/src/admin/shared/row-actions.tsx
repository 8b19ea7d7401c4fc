// A table row's Edit and Delete; Delete asks once more in the row itself (no modal on a phone).
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface Props {
  onEdit: () => void;
  onDelete: () => Promise<void>;
  /** the second Delete's label, in the page's words ("Delete this rule") */
  confirmLabel: string;
  /** buttons shown before Edit while not confirming (a channel's Test) */
  extra?: ReactNode;
  /** `<prefix>-edit`, `<prefix>-delete`, `<prefix>-confirm-delete` for browser tests */
  testId?: string;
}

export function RowActions({ onEdit, onDelete, confirmLabel, extra, testId }: Props) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const id = (name: string) => (testId ? `${testId}-${name}` : undefined);
  return (
    <div className="tools-row-actions">
      {confirming ? (
        <>
          <button type="button" className="danger" data-testid={id('confirm-delete')} onClick={() => void onDelete().finally(() => setConfirming(false))}>
            {confirmLabel}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('common:cancel')}
          </button>
        </>
      ) : (
        <>
          {extra}
          <button type="button" data-testid={id('edit')} onClick={onEdit}>
            {t('common:edit')}
          </button>
          <button type="button" className="danger" data-testid={id('delete')} onClick={() => setConfirming(true)}>
            {t('common:delete')}
          </button>
        </>
      )}
    </div>
  );
}
