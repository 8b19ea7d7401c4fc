// Changing the password. The server then ends every session, this one too (auth.md §4.3), so on
// success we refresh the session and the admin frame shows the login form.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { accountError } from './account-errors.ts';
import { byteLength, minPasswordLength, updateUser } from './account-api.ts';
import { MessageLine } from '../../lib/message-line.tsx';

export function PasswordForm() {
  const { t } = useTranslation('admin-account');
  const { me, refresh } = useSession();
  const [oldPassword, setOldPassword] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const needsCode = me?.['2fa_enabled'] === true;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!oldPassword) return setError(t('password.errors.old'));
    if (byteLength(password) < minPasswordLength) return setError(t('password.errors.short', { min: minPasswordLength }));
    if (password !== repeat) return setError(t('password.errors.mismatch'));
    if (password === oldPassword) return setError(t('password.errors.same'));
    if (needsCode && !code.trim()) return setError(t('errors.codeRequired'));
    setBusy(true);
    setError('');
    try {
      await updateUser({ uuid: me?.uuid ?? '', password, old_password: oldPassword, ...(needsCode ? { '2fa_code': code.trim() } : {}) });
      await refresh();
    } catch (err) {
      setError(accountError(t, err));
      setBusy(false);
    }
  };

  return (
    <form className="card account-card" onSubmit={(e) => void submit(e)} data-testid="password-form" noValidate>
      <h2>{t('password.title')}</h2>
      <p className="muted">{t('password.hint')}</p>
      {/* lets password managers file the new password under the right account */}
      <input type="text" name="username" autoComplete="username" value={me?.username ?? ''} readOnly hidden />
      <label>
        <span>{t('password.old')}</span>
        <input name="old_password" type="password" autoComplete="current-password" value={oldPassword} onChange={(e) => setOldPassword(e.target.value)} />
      </label>
      <label>
        <span>{t('password.new')}</span>
        <input name="new_password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label>
        <span>{t('password.repeat')}</span>
        <input name="repeat_password" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
      </label>
      {needsCode && (
        <label>
          <span>{t('twoFactor.code')}</span>
          <input name="2fa_code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
        </label>
      )}
      <MessageLine text={error} testId="password-error" />
      <div className="tools-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('password.save')}
        </button>
      </div>
    </form>
  );
}
