// Two-factor sign-in (TOTP, auth.md §6). Setup: the server draws a QR code for a new secret and
// keeps the secret in a short-lived cookie; a code from the app confirms it. Turning it off is a
// sensitive action, so it takes a current code too.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { accountError } from './account-errors.ts';
import { disableTwoFactor, enableTwoFactor, startTwoFactor, type TwoFactorSetup } from './account-api.ts';
import { MessageLine } from '../../lib/message-line.tsx';

const sixDigits = /^\d{6}$/;

export function TwoFactorCard() {
  const { t } = useTranslation('admin-account');
  const { me, refresh } = useSession();
  const enabled = me?.['2fa_enabled'] === true;
  const [setup, setSetup] = useState<TwoFactorSetup>();
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => () => setup && URL.revokeObjectURL(setup.qr), [setup]);

  const run = async (work: () => Promise<unknown>, doneNote: string) => {
    setBusy(true);
    setError('');
    try {
      await work();
      await refresh();
      setSetup(undefined);
      setCode('');
      setNote(doneNote);
    } catch (err) {
      setError(accountError(t, err));
    } finally {
      setBusy(false);
    }
  };
  const begin = async () => {
    setNote('');
    setError('');
    setBusy(true);
    try {
      setSetup(await startTwoFactor());
    } catch (err) {
      setError(accountError(t, err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!sixDigits.test(code.trim())) return setError(t('twoFactor.codeFormat'));
    if (enabled) void run(() => disableTwoFactor(code.trim()), t('twoFactor.disabled'));
    else void run(() => enableTwoFactor(code.trim()), t('twoFactor.enabled'));
  };

  return (
    <section className="card account-card" data-testid="two-factor-card">
      <h2>{t('twoFactor.title')}</h2>
      <p className={enabled ? 'ok-text' : 'muted'} data-testid="two-factor-state">
        {enabled ? t('twoFactor.on') : t('twoFactor.off')}
      </p>
      {!enabled && !setup && (
        <div className="tools-actions">
          <button type="button" className="primary" disabled={busy} onClick={() => void begin()} data-testid="two-factor-start">
            {t('twoFactor.start')}
          </button>
        </div>
      )}
      {!enabled && setup && (
        <div className="account-qr">
          <img src={setup.qr} alt={t('twoFactor.qrAlt')} width={200} height={200} data-testid="two-factor-qr" />
          <div>
            <p>{t('twoFactor.scan')}</p>
            {setup.secret && (
              <p>
                {t('twoFactor.secret')} <code className="tools-mono account-secret">{setup.secret}</code>
              </p>
            )}
          </div>
        </div>
      )}
      {(enabled || setup) && (
        <form onSubmit={submit} noValidate>
          <label>
            <span>{enabled ? t('twoFactor.codeToDisable') : t('twoFactor.code')}</span>
            <input name="2fa_code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
          <div className="tools-actions">
            <button type="submit" className={enabled ? 'danger' : 'primary'} disabled={busy} data-testid="two-factor-submit">
              {enabled ? t('twoFactor.disable') : t('twoFactor.confirm')}
            </button>
            {setup && (
              <button type="button" onClick={() => (setSetup(undefined), setError(''))}>
                {t('common:cancel')}
              </button>
            )}
          </div>
        </form>
      )}
      <MessageLine text={error} testId="two-factor-error" />
      <MessageLine text={note} kind="ok" />
    </section>
  );
}
