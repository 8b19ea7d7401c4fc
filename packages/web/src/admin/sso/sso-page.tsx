// Admin → Single sign-on: which external provider may sign the admin in (settings `o_auth_enabled`
// and `o_auth_provider`) and that provider's config, a form drawn from the field list the server
// sends. One Save writes the provider's config first, then the two settings.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { Link } from '../../lib/router.tsx';
import { useSession } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { CallbackUrl } from './callback-url.tsx';
import { loadProviderConfig, loadSchemas, loadSsoSettings, saveProviderConfig, saveSsoSettings, type SsoSettings } from './sso-api.ts';
import { fieldLabel, ProviderFields } from './sso-fields.tsx';
import { configOf, draftOf, type ProviderDraft } from './sso-form.ts';
import { providerLabel, providerOrder } from './provider-names.ts';
import '../shared/tools-page.css'; // tools-mono
import '../settings/settings.css';
import './sso.css';

type Status = { kind: 'ok' | 'error'; text: string } | undefined;

export default function SsoPage() {
  const { t, i18n } = useTranslation('admin-sso');
  const { me, refresh } = useSession();
  const schemas = useAsync((signal) => loadSchemas(signal), []);
  const stored = useAsync((signal) => loadSsoSettings(signal), []);
  const [choice, setChoice] = useState<SsoSettings>();
  const provider = choice?.provider;
  // tagged with its provider: while another one loads, the previous answer must not fill the form
  const config = useAsync(async (signal) => (provider ? { provider, saved: await loadProviderConfig(provider, signal) } : undefined), [provider]);
  const [drafts, setDrafts] = useState<Record<string, ProviderDraft>>({});
  const [status, setStatus] = useState<Status>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (stored.data) setChoice(stored.data);
  }, [stored.data]);

  const loadError = schemas.error ?? stored.error;
  if (loadError) {
    return (
      <p className="error-text" role="alert">
        {errorText(t, loadError)} <button onClick={() => (schemas.reload(), stored.reload())}>{t('common:retry')}</button>
      </p>
    );
  }
  if (!schemas.data || !stored.data || !choice || !provider) return <p className="muted">{t('common:loading')}</p>;

  const items = schemas.data[provider] ?? [];
  const saved = config.data?.provider === provider ? config.data.saved : undefined;
  const draft = drafts[provider] ?? (saved && draftOf(items, saved));
  const providers = providerOrder(Object.keys(schemas.data), provider);
  const providerName = (p: string) => providerLabel(i18n, p);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft || !saved) return;
    const result = configOf(items, draft, saved, choice.enabled);
    if (!result.ok) {
      const names = (list: string[]) => list.map((n) => fieldLabel(t, i18n, n)).join(t('listSeparator'));
      const text = result.missing.length ? t('errors.missing', { fields: names(result.missing) }) : t('errors.notNumber', { fields: names(result.notNumbers) });
      return setStatus({ kind: 'error', text });
    }
    setBusy(true);
    setStatus(undefined);
    try {
      await saveProviderConfig(provider, result.config);
      if (choice.enabled !== stored.data?.enabled || choice.provider !== stored.data.provider) await saveSsoSettings(choice);
      // the form shows what was stored (trimmed) at once, not the old values while the reload runs
      setDrafts((d) => ({ ...d, [provider]: draftOf(items, result.config) }));
      config.reload();
      stored.reload();
      await refresh();
      setStatus({ kind: 'ok', text: t('saved') });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(t, err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings-page sso-page" onSubmit={(e) => void save(e)} noValidate data-testid="sso-form">
      <h1>{t('title')}</h1>
      <p className="muted sso-intro">{t('intro')}</p>
      <section className="card settings-section">
        <h2>{t('sections.signIn')}</h2>
        <label className="settings-switch">
          <input type="checkbox" role="switch" name="o_auth_enabled" checked={choice.enabled} onChange={(e) => setChoice({ ...choice, enabled: e.target.checked })} />
          <span className="settings-switch-text">
            <span className="settings-switch-label">{t('enable')}</span>
            <small className="muted settings-hint">{t('enableHint')}</small>
          </span>
        </label>
        {choice.enabled && !me?.sso_id && (
          <p className="sso-warn" data-testid="sso-not-bound">
            {t('notBound')} <Link href="/admin/account">{t('openAccount')}</Link>
          </p>
        )}
        <label className="settings-field">
          <span>{t('provider')}</span>
          <select name="o_auth_provider" value={provider} onChange={(e) => (setChoice({ ...choice, provider: e.target.value }), setStatus(undefined))}>
            {providers.map((p) => (
              <option key={p} value={p}>
                {providerName(p)}
              </option>
            ))}
          </select>
          <small className="muted settings-hint">{t('providerHint')}</small>
        </label>
      </section>
      <section className="card settings-section" data-testid="sso-provider">
        <h2>{t('sections.provider', { provider: providerName(provider) })}</h2>
        {i18n.exists(`admin-sso:providerHelp.${provider}`) && <p className="muted sso-text">{t(`providerHelp.${provider}`)}</p>}
        {config.error && <MessageLine text={errorText(t, config.error)} />}
        {!config.error && !draft && <p className="muted">{t('common:loading')}</p>}
        {draft && items.length === 0 && <p className="muted">{t('noFields')}</p>}
        {draft && <ProviderFields provider={provider} items={items} draft={draft} onChange={(name, value) => setDrafts({ ...drafts, [provider]: { ...draft, [name]: value } })} />}
        {items.some((i) => i.required) && <small className="muted">{t('requiredNote')}</small>}
      </section>
      <CallbackUrl />
      <div className="settings-actions">
        <MessageLine text={status?.text} kind={status?.kind} testId={status?.kind === 'error' ? 'sso-error' : 'sso-saved'} />
        <button type="submit" className="primary" disabled={busy || !draft} data-testid="sso-save">
          {t('common:save')}
        </button>
      </div>
    </form>
  );
}
