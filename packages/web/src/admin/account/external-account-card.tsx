// The external account (GitHub, an OIDC provider, …) the admin may sign in with (auth.md §8.3).
// Binding is a plain navigation: the server sets a cookie and sends the browser to the provider,
// which sends it back through the callback. Unbinding asks first, as it may lock out an admin who
// signs in only that way.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { Link } from '../../lib/router.tsx';
import { useSession } from '../../lib/session.tsx';
import { errorText } from '../shared/error-text.ts';
import { bindUrl, unbindExternalAccount } from '../sso/sso-api.ts';
import { markBindReturn } from '../sso/bind-return.ts';
import { providerLabel } from '../sso/provider-names.ts';

export function ExternalAccountCard() {
  const { t, i18n } = useTranslation('admin-account');
  const { me, site, refresh } = useSession();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const bound = me?.sso_id ?? '';
  const enabled = site?.oauth_enable === true;
  const provider = site?.oauth_provider ?? '';
  const providerName = providerLabel(i18n, provider);

  const unbind = async () => {
    setBusy(true);
    setError('');
    try {
      await unbindExternalAccount();
      await refresh();
      setConfirming(false);
      setNote(t('external.unbound'));
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card account-card" data-testid="external-account-card">
      <h2>{t('external.title')}</h2>
      <p className={bound ? 'ok-text' : 'muted'} data-testid="external-account-state">
        {bound ? t('external.bound') : t('external.none')} {bound && <code className="tools-mono">{bound}</code>}
      </p>
      {!enabled && (
        <p className="muted" data-testid="external-account-off">
          {t('external.off')} <Link href="/admin/sso">{t('external.openSso')}</Link>
        </p>
      )}
      {enabled && <p className="muted">{t('external.hint', { provider: providerName })}</p>}
      <MessageLine text={error} testId="external-account-error" />
      <MessageLine text={note} kind="ok" />
      <div className="tools-actions">
        {enabled ? (
          <a className="button primary" href={bindUrl} onClick={markBindReturn} data-testid="external-account-bind">
            {bound ? t('external.rebind') : t('external.bind')}
          </a>
        ) : (
          <button type="button" className="primary" disabled data-testid="external-account-bind">
            {t('external.bind')}
          </button>
        )}
        {bound && !confirming && (
          <button type="button" className="danger" onClick={() => (setConfirming(true), setNote(''))} data-testid="external-account-unbind">
            {t('external.unbind')}
          </button>
        )}
        {bound && confirming && (
          <>
            <button type="button" className="danger" disabled={busy} onClick={() => void unbind()} data-testid="external-account-unbind-confirm">
              {t('external.unbindConfirm')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('common:cancel')}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
