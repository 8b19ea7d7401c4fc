// "Are you sure?" for an action that cannot be undone: the question, what it does, and the
// confirming button. A refusal stays in the dialog; success closes it through `onDone`.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { DialogActions, Modal } from '../nodes/modal.tsx';
import { errorText } from './error-text.ts';
import '../nodes/nodes.css'; // the dialog's frame

interface Props {
  title: string;
  children: ReactNode;
  /** the confirming button's label */
  label: string;
  tone?: 'primary' | 'danger';
  /** runs on confirm; a rejection is shown in the dialog */
  action: () => Promise<void>;
  onClose: () => void;
  testId?: string;
}

export function ConfirmDialog({ title, children, label, tone = 'danger', action, onClose, testId }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      await action();
    } catch (err) {
      setError(errorText(t, err));
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose} testId={testId}>
      {children}
      <MessageLine text={error} />
      <DialogActions onCancel={onClose} busy={busy} label={label} tone={tone} onConfirm={() => void confirm()} testId={testId && `${testId}-confirm`} />
    </Modal>
  );
}
