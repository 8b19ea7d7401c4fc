// The address to register at the provider as the OAuth callback. The server builds it from its
// configured public URL (KOMARI_PUBLIC_URL), not from this page's address, so what is shown here
// is a hint built from the address the panel was opened with.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { copyText } from '../nodes/clipboard.ts';
import { callbackPath } from './sso-api.ts';

export function CallbackUrl() {
  const { t } = useTranslation('admin-sso');
  const [note, setNote] = useState('');
  const url = `${location.origin}${callbackPath}`;
  const copy = async () => {
    try {
      await copyText(url);
      setNote(t('callback.copied'));
    } catch {
      setNote(t('callback.copyByHand'));
    }
  };
  return (
    <section className="card settings-section" data-testid="sso-callback">
      <h2>{t('callback.title')}</h2>
      <p className="muted sso-text">{t('callback.intro')}</p>
      <div className="sso-callback-row">
        <code className="tools-mono sso-callback-url" data-testid="sso-callback-url">
          {url}
        </code>
        <button type="button" onClick={() => void copy()}>
          {t('callback.copy')}
        </button>
      </div>
      <small className="muted settings-hint">{t('callback.publicUrl', { path: callbackPath })}</small>
      <MessageLine text={note} kind="ok" />
    </section>
  );
}
