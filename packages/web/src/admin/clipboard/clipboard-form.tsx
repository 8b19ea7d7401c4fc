// Adding or editing one saved command. Our checks (a command, a whole-number weight) come before
// the server's; a refusal is shown beside the button and the list stays as it was.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { errorText } from '../shared/error-text.ts';
import { addSavedCommand, editSavedCommand, formProblem, parseWeight, type SavedCommand } from './clipboard-api.ts';

interface Props {
  /** the entry being edited; a new one otherwise */
  entry?: SavedCommand;
  onSaved: () => void;
  onCancel: () => void;
}

export function ClipboardForm({ entry, onSaved, onCancel }: Props) {
  const { t } = useTranslation('admin-clipboard');
  const [name, setName] = useState(entry?.name ?? '');
  const [text, setText] = useState(entry?.text ?? '');
  const [remark, setRemark] = useState(entry?.remark ?? '');
  const [weight, setWeight] = useState(String(entry?.weight ?? 0));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problem = formProblem({ text }, weight);
    if (problem) return setError(t(problem));
    const fields = { name: name.trim(), text, remark, weight: parseWeight(weight) ?? 0 };
    setBusy(true);
    setError('');
    try {
      if (entry) await editSavedCommand(entry.id, fields);
      else await addSavedCommand(fields);
      onSaved();
    } catch (err) {
      setError(errorText(t, err));
      setBusy(false);
    }
  };

  return (
    <form className="card clipboard-form" onSubmit={(e) => void submit(e)} data-testid="clipboard-form" noValidate>
      <h2>{entry ? t('form.editTitle', { name: entry.name || `#${entry.id}` }) : t('form.addTitle')}</h2>
      <div className="clipboard-form-row">
        <label>
          <span>{t('form.name')}</span>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={255} autoFocus />
        </label>
        <label>
          <span>{t('form.weight')}</span>
          <input name="weight" type="number" inputMode="numeric" step={1} value={weight} onChange={(e) => setWeight(e.target.value)} />
        </label>
      </div>
      <label>
        <span>{t('form.text')}</span>
        <textarea name="text" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} autoCapitalize="off" rows={4} placeholder={t('form.textHint')} />
      </label>
      <label>
        <span>{t('form.remark')}</span>
        <input name="remark" value={remark} onChange={(e) => setRemark(e.target.value)} />
      </label>
      <MessageLine text={error} testId="clipboard-form-error" />
      <div className="tools-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="clipboard-save">
          {t('common:save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common:cancel')}
        </button>
      </div>
    </form>
  );
}
