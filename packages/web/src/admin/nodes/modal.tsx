// A native <dialog> opened modally while mounted: Esc and the close button both call onClose,
// and focus stays inside it (the browser does that for showModal()).
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function Modal({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="nodes-modal"
      data-testid={testId}
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="nodes-modal-head">
        <h2>{title}</h2>
        <button type="button" className="nodes-modal-x" aria-label={t('close')} onClick={onClose}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

interface DialogActionsProps {
  onCancel: () => void;
  busy: boolean;
  label: string;
  /** the confirming button's look; 'primary' unless given */
  tone?: 'primary' | 'danger';
  /** without it, the confirming button submits the dialog's form */
  onConfirm?: () => void;
  testId?: string;
}

/** A dialog's Cancel and confirming buttons. */
export function DialogActions({ onCancel, busy, label, tone = 'primary', onConfirm, testId }: DialogActionsProps) {
  const { t } = useTranslation();
  return (
    <div className="nodes-dialog-actions">
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
      <button type={onConfirm ? 'button' : 'submit'} className={tone} disabled={busy} onClick={onConfirm} data-testid={testId}>
        {label}
      </button>
    </div>
  );
}
