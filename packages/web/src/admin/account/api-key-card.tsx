// The admin API key (setting `api_key`, auth.md §9): generated here from the browser's CSPRNG,
// shown until saved, then masked. A key under 32 characters is refused here before saving; a
// longer one that looks too simple is refused by the server, whose message is shown.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { generateApiKey, loadApiKey, minApiKeyLength, saveApiKey } from './account-api.ts';
import { MessageLine } from '../../lib/message-line.tsx';

const mask = (key: string) => `${'•'.repeat(8)}${key.slice(-4)}`;

export function ApiKeyCard() {
  const { t } = useTranslation('admin-account');
  const saved = useAsync((signal) => loadApiKey(signal), []);
  const [draft, setDraft] = useState<string>();
  const [reveal, setReveal] = useState(false);
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirmClear, setConfirmClear] = useState(false);
  const current = saved.data ?? '';

  const persist = async (key: string, doneNote: string) => {
    setBusy(true);
    setError('');
    setNote('');
    try {
      await saveApiKey(key);
      setDraft(undefined);
      // a new key stays visible once saved, so it can still be copied
      setReveal(key !== '');
      setConfirmClear(false);
      setNote(doneNote);
      saved.reload();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
    }
  };
  const save = (key: string) => {
    if (key.length < minApiKeyLength) return setError(t('apiKey.tooShort', { min: minApiKeyLength }));
    if (/\s/.test(key)) return setError(t('apiKey.spaces'));
    void persist(key, t('apiKey.saved'));
  };
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setNote(t('apiKey.copied'));
    } catch {
      // plain http has no clipboard API: the key is shown, so it can be selected by hand
      setReveal(true);
      setNote(t('apiKey.copyByHand'));
    }
  };

  return (
    <section className="card account-card" data-testid="api-key-card">
      <h2>{t('apiKey.title')}</h2>
      <p className="muted">{t('apiKey.hint')}</p>
      <code className="account-usage">Authorization: Bearer &lt;API key&gt;</code>
      {saved.error && <p className="error-text">{errorText(t, saved.error)}</p>}
      {draft === undefined ? (
        <div className="account-key-row">
          <span className="tools-mono account-key" data-testid="api-key-value">
            {saved.loading && !saved.data ? t('common:loading') : current ? (reveal ? current : mask(current)) : t('apiKey.none')}
          </span>
          {current && (
            <>
              <button type="button" onClick={() => setReveal((r) => !r)}>
                {reveal ? t('apiKey.hide') : t('apiKey.show')}
              </button>
              <button type="button" onClick={() => void copy(current)}>
                {t('apiKey.copy')}
              </button>
            </>
          )}
        </div>
      ) : (
        <label>
          <span>{t('apiKey.new')}</span>
          <input name="api_key" className="tools-mono" value={draft} onChange={(e) => setDraft(e.target.value)} spellCheck={false} autoComplete="off" />
        </label>
      )}
      <MessageLine text={error} testId="api-key-error" />
      <MessageLine text={note} kind="ok" />
      <div className="tools-actions">
        {draft === undefined ? (
          <>
            <button type="button" className="primary" onClick={() => (setDraft(generateApiKey()), setNote(''), setError(''))} data-testid="api-key-generate">
              {current ? t('apiKey.regenerate') : t('apiKey.generate')}
            </button>
            {current && !confirmClear && (
              <button type="button" className="danger" onClick={() => setConfirmClear(true)}>
                {t('apiKey.clear')}
              </button>
            )}
            {current && confirmClear && (
              <>
                <button type="button" className="danger" disabled={busy} onClick={() => void persist('', t('apiKey.cleared'))} data-testid="api-key-clear-confirm">
                  {t('apiKey.clearConfirm')}
                </button>
                <button type="button" onClick={() => setConfirmClear(false)}>
                  {t('common:cancel')}
                </button>
              </>
            )}
          </>
        ) : (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => save(draft)} data-testid="api-key-save">
              {t('common:save')}
            </button>
            <button type="button" onClick={() => void copy(draft)}>
              {t('apiKey.copy')}
            </button>
            <button type="button" onClick={() => (setDraft(undefined), setError(''))}>
              {t('common:cancel')}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
