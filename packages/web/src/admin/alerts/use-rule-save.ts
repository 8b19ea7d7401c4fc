// The save step both rule dialogs share: read the form (a FormProblem is shown, nothing sent),
// send it, and show the server's refusal in the dialog.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../shared/error-text.ts';
import { FormProblem } from './rule-form.ts';

export function useRuleSave<F>(read: () => F, save: (fields: F) => Promise<unknown>, onSaved: () => void) {
  const { t } = useTranslation('admin-alerts');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let body: F;
    try {
      body = read();
    } catch (err) {
      if (err instanceof FormProblem) return setError(t(err.message, err.values));
      throw err;
    }
    setBusy(true);
    setError('');
    try {
      await save(body);
      onSaved();
    } catch (err) {
      setError(errorText(t, err));
      setBusy(false);
    }
  };
  return { error, busy, submit };
}
