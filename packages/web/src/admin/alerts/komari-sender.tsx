// The card for Komari's one active message sender (setting `notification_method` and that sender's
// config through the message-sender routes): what a Komari admin UI sets, kept in step here. It
// counts as channel 0 beside the channels below.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderItem } from '@komari-ts/protocol';
import { MessageLine } from '../../lib/message-line.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { ProviderFields } from '../sso/sso-fields.tsx';
import { configOf, draftOf, type ProviderDraft } from '../sso/sso-form.ts';
import { loadSenderConfig, saveAlertSettings, saveSenderConfig, sendKomariTest } from './alerts-api.ts';
import { kindLabel, senderFieldWords } from './channel-names.ts';
import { fieldProblem } from './field-problem.ts';

type Status = { kind: 'ok' | 'error'; text: string } | undefined;

interface Props {
  schemas: Record<string, ProviderItem[]>;
  /** the saved `notification_method` */
  method: string;
  onSaved: () => void;
}

export function KomariSender({ schemas, method: savedMethod, onSaved }: Props) {
  const { t, i18n } = useTranslation('admin-alerts');
  const [method, setMethod] = useState(savedMethod || 'none');
  const hasForm = method !== 'none' && method in schemas;
  // tagged with its sender: while another one loads, the previous answer must not fill the form
  const config = useAsync(async (signal) => (hasForm ? { method, saved: await loadSenderConfig(method, signal) } : undefined), [method, hasForm]);
  const [drafts, setDrafts] = useState<Record<string, ProviderDraft>>({});
  const [status, setStatus] = useState<Status>();
  const [busy, setBusy] = useState(false);
  const items = schemas[method] ?? [];
  const saved = config.data?.method === method ? config.data.saved : undefined;
  const draft = drafts[method] ?? (saved && draftOf(items, saved));
  const choices = ['none', ...Object.keys(schemas).filter((n) => n !== 'none')];

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setStatus(undefined);
    try {
      setStatus({ kind: 'ok', text: await work() });
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(t, err) });
    } finally {
      setBusy(false);
    }
  };
  const save = (e: FormEvent) => {
    e.preventDefault();
    let config: Record<string, unknown> | undefined;
    if (hasForm && draft && saved) {
      const result = configOf(items, draft, saved, true);
      if (!result.ok) return setStatus({ kind: 'error', text: fieldProblem(t, i18n, result) });
      config = result.config;
    }
    void run(async () => {
      if (config) await saveSenderConfig(method, config);
      if (method !== savedMethod) await saveAlertSettings({ notification_method: method });
      onSaved();
      return t('saved');
    });
  };

  return (
    <form className="card settings-section alerts-sender" onSubmit={save} noValidate data-testid="komari-sender">
      <h2>{t('sender.title')}</h2>
      <p className="muted alerts-text">{t('sender.intro')}</p>
      <label className="settings-field">
        <span>{t('sender.method')}</span>
        <select name="notification_method" value={method} onChange={(e) => (setMethod(e.target.value), setStatus(undefined))}>
          {choices.map((name) => (
            <option key={name} value={name}>
              {name === 'none' ? t('sender.none') : kindLabel(i18n, name)}
            </option>
          ))}
        </select>
      </label>
      {hasForm && config.error && <MessageLine text={errorText(t, config.error)} />}
      {hasForm && !config.error && !draft && <p className="muted">{t('common:loading')}</p>}
      {hasForm && draft && (
        <ProviderFields provider={method} items={items} draft={draft} words={senderFieldWords} onChange={(name, value) => setDrafts({ ...drafts, [method]: { ...draft, [name]: value } })} />
      )}
      <div className="tools-actions alerts-actions">
        <MessageLine text={status?.text} kind={status?.kind} testId={status?.kind === 'error' ? 'sender-error' : 'sender-saved'} />
        <button type="button" disabled={busy} onClick={() => void run(async () => (await sendKomariTest(), t('sender.testSent')))} data-testid="sender-test">
          {t('sender.test')}
        </button>
        <button type="submit" className="primary" disabled={busy || (hasForm && !draft)} data-testid="sender-save">
          {t('common:save')}
        </button>
      </div>
    </form>
  );
}
