// One value asked in a dialog (a folder's name, a new name, a destination, a mode): our check runs
// first, then the action; the server's refusal stays in the dialog, success closes it.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { DialogActions, Modal } from '../nodes/modal.tsx';
import { errorText } from '../shared/error-text.ts';

interface Props {
  title: string;
  label: string;
  /** a line under the title: what the value means */
  hint?: string;
  initial: string;
  submitLabel: string;
  /** the problem with the value in the reader's language, or undefined when it is fine */
  check: (value: string) => string | undefined;
  action: (value: string) => Promise<void>;
  onClose: () => void;
  testId: string;
}

export function ValueDialog({ title, label, hint, initial, submitLabel, check, action, onClose, testId }: Props) {
  const { t } = useTranslation('admin-files');
  const [value, setValue] = useState(initial);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const bad = check(value);
    if (bad) return setProblem(bad);
    setBusy(true);
    setProblem('');
    try {
      await action(value.trim());
    } catch (err) {
      setProblem(errorText(t, err));
      setBusy(false);
    }
  };
  return (
    <Modal title={title} onClose={onClose} testId={testId}>
      <form onSubmit={(e) => void submit(e)} className="files-dialog-form" noValidate>
        {hint && <p className="muted">{hint}</p>}
        <label>
          <span>{label}</span>
          <input name="value" value={value} autoFocus spellCheck={false} autoCapitalize="off" onChange={(e) => setValue(e.target.value)} />
        </label>
        <MessageLine text={problem} testId={`${testId}-error`} />
        <DialogActions onCancel={onClose} busy={busy} label={submitLabel} testId={`${testId}-submit`} />
      </form>
    </Modal>
  );
}
