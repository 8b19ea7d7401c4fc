// The admin login: username and password, plus the 2FA code once the server asks for it.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiSend } from '../../lib/api.ts';
import { HeaderControls } from '../../lib/header-controls.tsx';
import { Link, navigate, useLocation } from '../../lib/router.tsx';
import { useSession } from '../../lib/session.tsx';
import { codeRequiredMessage, loginErrorText } from './login-errors.ts';
import { afterLoginPath } from './safe-next.ts';
import './admin-shell.css';
import { MessageLine } from '../../lib/message-line.tsx';
import { loginUrl } from '../sso/sso-api.ts';

/** Why the admin was sent here (`?notice=`), as a key in `admin`; other values are ignored. */
const notices: Record<string, string> = { restored: 'loginNotices.restored' };

export function LoginPage() {
  const { t, i18n } = useTranslation('admin');
  const { site, refresh } = useSession();
  const { path, query } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needCode, setNeedCode] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const notice = notices[query.get('notice') ?? ''];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const body: Record<string, string> = { username, password };
      if (code.trim()) body['2fa_code'] = code.trim();
      await apiSend('/api/login', body);
      // Move first, then learn we are logged in: the panel then mounts straight on its target page.
      navigate(afterLoginPath(query.get('next'), path, location.origin), { replace: true });
      await refresh();
    } catch (err) {
      if (err instanceof Error && err.message === codeRequiredMessage) setNeedCode(true);
      setError(loginErrorText(t, err));
      setBusy(false);
    }
  };

  return (
    <div className="login-screen">
      <header className="site-header">
        <Link href="/" className="brand">
          {site?.sitename || t('common:appName')}
        </Link>
        <HeaderControls />
      </header>
      <main className="login-main">
        <form className="card login-card" onSubmit={(e) => void submit(e)} data-testid="login-form">
          <h1>{t('login.title')}</h1>
          {notice && (
            <p className="login-notice" role="status" data-testid="login-notice">
              {t(notice)}
            </p>
          )}
          {site?.disable_password_login && <p className="muted">{t('login.passwordDisabledHint')}</p>}
          <label>
            <span>{t('login.username')}</span>
            <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label>
            <span>{t('login.password')}</span>
            <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {needCode && (
            <label>
              <span>{t('login.code')}</span>
              <input
                name="2fa_code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]*"
                autoFocus
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
            </label>
          )}
          <MessageLine text={error} testId="login-error" />
          <button type="submit" className="primary login-submit" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
          {site?.oauth_enable && (
            <a className="button login-oauth" href={loginUrl} data-testid="login-oauth">
              {i18n.exists(`admin:login.oauthWith.${site.oauth_provider}`) ? t(`login.oauthWith.${site.oauth_provider}`) : t('login.oauth')}
            </a>
          )}
          <Link href="/" className="login-back">
            {t('common:backHome')}
          </Link>
        </form>
      </main>
    </div>
  );
}
