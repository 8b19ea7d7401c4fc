// Renaming the account. Sessions survive a rename (auth.md §4.3), so only the header changes.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { accountError } from './account-errors.ts';
import { byteLength, minUsernameLength, updateUser } from './account-api.ts';
import { MessageLine } from '../../lib/message-line.tsx';

export function UsernameForm() {
  const { t } = useTranslation('admin-account');
  const { me, refresh } = useSession();
  const [username, setUsername] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const name = username.trim();
    if (byteLength(name) < minUsernameLength) return setError(t('username.tooShort', { min: minUsernameLength }));
    if (name === me?.username) return setError(t('username.same'));
    setBusy(true);
    setError('');
    try {
      await updateUser({ uuid: me?.uuid ?? '', username: name });
      await refresh();
      setUsername('');
      setDone(true);
    } catch (err) {
      setError(accountError(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card account-card" onSubmit={(e) => void submit(e)} data-testid="username-form" noValidate>
      <h2>{t('username.title')}</h2>
      <p className="muted">{t('username.current', { name: me?.username ?? '' })}</p>
      <label>
        <span>{t('username.new')}</span>
        <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <MessageLine text={error} />
      {done && (
        <p className="ok-text" role="status">
          {t('username.done')}
        </p>
      )}
      <div className="tools-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('username.save')}
        </button>
      </div>
    </form>
  );
}
