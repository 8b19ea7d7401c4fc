// Install from a URL in two steps (themes.md §8.6): the server downloads the package and shows
// its manifest without installing it, and says whether it replaces an installed theme; only a
// second, confirmed request installs it.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { errorText } from '../shared/error-text.ts';
import { ManifestView } from './manifest-view.tsx';
import { importTheme, previewImport, type ImportPreview } from './themes-api.ts';

export function ImportCard({ onInstalled }: { onInstalled: () => void }) {
  const { t } = useTranslation('admin-themes');
  const [url, setUrl] = useState('');
  const [preview, setPreview] = useState<{ url: string; answer: ImportPreview }>();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();

  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setStatus(undefined);
    try {
      await step();
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(t, err) });
    } finally {
      setBusy(false);
    }
  };
  const look = (e: FormEvent) => {
    e.preventDefault();
    const wanted = url.trim();
    if (!/^https?:\/\//i.test(wanted)) return setStatus({ kind: 'error', text: t('import.errors.url') });
    setPreview(undefined);
    void run(async () => setPreview({ url: wanted, answer: await previewImport(wanted) }));
  };
  const install = () =>
    void run(async () => {
      if (!preview) return;
      const done = await importTheme(preview.url);
      setPreview(undefined);
      setUrl('');
      setStatus({ kind: 'ok', text: done.message || t('import.installed') });
      onInstalled();
    });

  return (
    <section className="card themes-card" data-testid="themes-import">
      <h2>{t('import.title')}</h2>
      <p className="muted">{t('import.what')}</p>
      <form className="themes-row" onSubmit={look}>
        <input type="url" name="url" className="themes-url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://github.com/owner/repo" aria-label={t('import.url')} disabled={busy} />
        <button type="submit" disabled={busy} data-testid="themes-import-preview">
          {t('import.preview')}
        </button>
      </form>
      {preview && (
        <div className="themes-preview" data-testid="themes-import-answer">
          <ManifestView manifest={preview.answer.theme} />
          {preview.answer.exists && (
            <p className="error-text" data-testid="themes-import-exists">
              {t('import.exists', { short: preview.answer.theme.short })}
            </p>
          )}
          <div className="tools-actions">
            <button type="button" className={preview.answer.exists ? 'danger' : 'primary'} disabled={busy} onClick={install} data-testid="themes-import-confirm">
              {preview.answer.exists ? t('import.replace') : t('import.install')}
            </button>
            <button type="button" disabled={busy} onClick={() => setPreview(undefined)}>
              {t('common:cancel')}
            </button>
          </div>
        </div>
      )}
      <MessageLine text={status?.text} kind={status?.kind} testId="themes-import-status" />
    </section>
  );
}
