// Admin → settings: the site's name and HTML, who may see it, agent auto-discovery and how long
// history is kept. Saves only what changed; a refused value is shown and nothing is stored.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiGet, apiSend } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { RetentionEditor } from './retention-editor.tsx';
import { changedSettings, draftOf, randomKey, type SettingsDraft, type StoredSettings, type SwitchKey, type TextKey } from './settings-form.ts';
import { Switch, TextField } from './settings-fields.tsx';
import { RemoteControlSection } from '../remote-control/remote-control-section.tsx';
import './settings.css';

type Status = { kind: 'saved' } | { kind: 'unchanged' } | { kind: 'error'; message: string } | undefined;

export default function SettingsPage() {
  const { t } = useTranslation('admin-settings');
  const { refresh } = useSession();
  const stored = useAsync((signal) => apiGet<StoredSettings>('/api/admin/settings', signal), []);
  const [draft, setDraft] = useState<SettingsDraft>();
  const [status, setStatus] = useState<Status>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (stored.data) setDraft(draftOf(stored.data));
  }, [stored.data]);

  if (stored.error) {
    return (
      <p className="error-text" role="alert">
        {t('common:error', { message: stored.error.message })} <button onClick={stored.reload}>{t('common:retry')}</button>
      </p>
    );
  }
  if (!draft || !stored.data) return <p className="muted">{t('common:loading')}</p>;
  const current = stored.data;

  const setText = (k: TextKey) => (v: string) => setDraft({ ...draft, text: { ...draft.text, [k]: v } });
  const setSwitch = (k: SwitchKey) => (v: boolean) => setDraft({ ...draft, switches: { ...draft.switches, [k]: v } });
  const text = (k: TextKey, multiline = false) => (
    <TextField name={k} label={t(`fields.${k}`)} hint={t(`hints.${k}`)} value={draft.text[k]} onChange={setText(k)} multiline={multiline} />
  );
  const toggle = (k: SwitchKey) =>
    draft.switches[k] !== undefined && <Switch name={k} label={t(`fields.${k}`)} hint={t(`hints.${k}`)} checked={draft.switches[k]} onChange={setSwitch(k)} />;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body = changedSettings(current, draft);
    if (Object.keys(body).length === 0) return setStatus({ kind: 'unchanged' });
    setBusy(true);
    setStatus(undefined);
    try {
      await apiSend('/api/admin/settings', body);
      setStatus({ kind: 'saved' });
      stored.reload();
      await refresh();
    } catch (err) {
      setStatus({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="settings-page" onSubmit={(e) => void save(e)} data-testid="settings-form">
      <h1>{t('title')}</h1>
      <section className="card settings-section">
        <h2>{t('sections.site')}</h2>
        {text('sitename')}
        {text('description', true)}
        {text('custom_head', true)}
        {text('custom_body', true)}
      </section>
      <section className="card settings-section">
        <h2>{t('sections.access')}</h2>
        {toggle('private_site')}
        {toggle('send_ip_addr_to_guest')}
        {toggle('disable_password_login')}
        {toggle('cors_origin_check_enabled')}
        {toggle('ws_origin_check_enabled')}
      </section>
      <section className="card settings-section">
        <h2>{t('sections.discovery')}</h2>
        <TextField name="auto_discovery_key" label={t('fields.auto_discovery_key')} hint={t('hints.auto_discovery_key')} value={draft.text.auto_discovery_key} onChange={setText('auto_discovery_key')}>
          <button type="button" onClick={() => setText('auto_discovery_key')(randomKey())}>
            {t('generate')}
          </button>
        </TextField>
      </section>
      <RemoteControlSection values={draft.switches} onChange={(k, v) => setSwitch(k)(v)} />
      {Array.isArray(current.history_retention) && (
        <section className="card settings-section">
          <h2>{t('sections.retention')}</h2>
          <RetentionEditor rows={draft.tiers} onChange={(tiers) => setDraft({ ...draft, tiers })} />
        </section>
      )}
      <div className="settings-actions">
        {status?.kind === 'error' && (
          <p className="error-text" role="alert" data-testid="settings-error">
            {t('failed', { message: status.message })}
          </p>
        )}
        {status?.kind === 'saved' && (
          <p className="ok-text" role="status" data-testid="settings-saved">
            {t('saved')}
          </p>
        )}
        {status?.kind === 'unchanged' && <p className="muted" role="status">{t('unchanged')}</p>}
        <button type="button" disabled={busy} onClick={() => (setDraft(draftOf(current)), setStatus(undefined))}>
          {t('reset')}
        </button>
        <button type="submit" className="primary" disabled={busy} data-testid="settings-save">
          {t('common:save')}
        </button>
      </div>
    </form>
  );
}
