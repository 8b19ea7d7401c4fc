// Adding or editing one channel in a dialog. A new channel comes from a form drawn from its kind's
// field list, or from a pasted Apprise/Shoutrrr-style URL the server parses; an existing one keeps
// its kind. Nothing is saved until our checks and the server's pass.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelKindWire, ChannelWire } from '@komari-ts/protocol';
import { MessageLine } from '../../lib/message-line.tsx';
import { DialogActions, Modal } from '../nodes/modal.tsx';
import { errorText } from '../shared/error-text.ts';
import { ProviderFields } from '../sso/sso-fields.tsx';
import { configOf, draftOf, type ProviderDraft } from '../sso/sso-form.ts';
import { addChannel, editChannel } from './alerts-api.ts';
import { looksLikeUrl, type ChannelSource } from './channel-form.ts';
import { fieldProblem } from './field-problem.ts';
import { channelFieldWords, kindLabel } from './channel-names.ts';
import '../nodes/nodes.css'; // the dialog's frame

interface Props {
  kinds: readonly ChannelKindWire[];
  /** the channel being edited; a new one otherwise */
  channel?: ChannelWire;
  onSaved: () => void;
  onClose: () => void;
}

export function ChannelDialog({ kinds, channel, onSaved, onClose }: Props) {
  const { t, i18n } = useTranslation('admin-alerts');
  const [source, setSource] = useState<ChannelSource>('form');
  const [kind, setKind] = useState(channel?.kind ?? kinds[0]?.kind ?? '');
  const [name, setName] = useState(channel?.name ?? '');
  const [url, setUrl] = useState('');
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [template, setTemplate] = useState(channel?.template ?? '');
  const saved = channel?.config ?? {};
  const items = kinds.find((k) => k.kind === kind)?.fields ?? [];
  const [drafts, setDrafts] = useState<Record<string, ProviderDraft>>({});
  const draft = drafts[kind] ?? draftOf(items, saved);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const schemes = kinds.flatMap((k) => k.url_schemes.map((s) => `${s}://`));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return setError(t('channels.errors.name'));
    if (source === 'url' && !looksLikeUrl(url)) return setError(t('channels.errors.url'));
    const result = source === 'form' ? configOf(items, draft, saved, true) : undefined;
    if (result && !result.ok) return setError(fieldProblem(t, i18n, result));
    const config = result?.ok ? result.config : {};
    const common = { name: name.trim(), enabled, template };
    setBusy(true);
    setError('');
    try {
      if (channel) await editChannel({ id: channel.id, ...common, config });
      else await addChannel(source === 'url' ? { ...common, url: url.trim() } : { ...common, kind, config });
      onSaved();
    } catch (err) {
      setError(errorText(t, err));
      setBusy(false);
    }
  };

  const title = channel ? t('channels.editTitle', { name: channel.name }) : t('channels.addTitle');
  return (
    <Modal title={title} onClose={onClose} testId="channel-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate className="alerts-dialog-form">
        {!channel && (
          <div className="alerts-source" role="radiogroup" aria-label={t('channels.source')}>
            {(['form', 'url'] as const).map((s) => (
              <label key={s} className="inline">
                <input type="radio" name="source" value={s} checked={source === s} onChange={() => (setSource(s), setError(''))} />
                <span>{t(`channels.sources.${s}`)}</span>
              </label>
            ))}
          </div>
        )}
        <label className="settings-field">
          <span>{t('channels.name')}</span>
          <input name="channel-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus />
        </label>
        {source === 'url' ? (
          <label className="settings-field">
            <span>{t('channels.url')}</span>
            <input name="channel-url" value={url} onChange={(e) => setUrl(e.target.value)} spellCheck={false} autoCapitalize="off" placeholder="ntfy://ntfy.sh/my-topic" />
            <small className="muted settings-hint">{t('channels.urlHint', { schemes: schemes.join(' ') })}</small>
          </label>
        ) : (
          <>
            <label className="settings-field">
              <span>{t('channels.kind')}</span>
              <select name="kind" value={kind} disabled={!!channel} onChange={(e) => (setKind(e.target.value), setError(''))}>
                {kinds.map((k) => (
                  <option key={k.kind} value={k.kind}>
                    {kindLabel(i18n, k.kind)}
                  </option>
                ))}
              </select>
            </label>
            <ProviderFields provider={kind} items={items} draft={draft} words={channelFieldWords} onChange={(field, value) => setDrafts({ ...drafts, [kind]: { ...draft, [field]: value } })} />
          </>
        )}
        <label className="inline alerts-check">
          <input type="checkbox" name="channel-enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <span>{t('channels.enabled')}</span>
        </label>
        <label className="settings-field">
          <span>{t('channels.template')}</span>
          <textarea name="channel-template" value={template} onChange={(e) => setTemplate(e.target.value)} spellCheck={false} placeholder={t('channels.templatePlaceholder')} />
          <small className="muted settings-hint">{t('channels.templateHint')}</small>
        </label>
        <MessageLine text={error} testId="channel-error" />
        <DialogActions onCancel={onClose} busy={busy} label={t('common:save')} testId="channel-save" />
      </form>
    </Modal>
  );
}
