// Install from a local zip through the chunked upload (themes.md §8.2, purpose "theme"), the
// same upload code the backup page uses; the merge installs it and answers with its manifest.
import type { ThemeManifest } from '@komari-ts/protocol/theme';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../lib/format.ts';
import { MessageLine } from '../../lib/message-line.tsx';
import { uploadInChunks } from '../backup/chunked-upload.ts';
import { errorText } from '../shared/error-text.ts';
import { ManifestView } from './manifest-view.tsx';

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; sent: number; total: number }
  | { kind: 'installing' }
  | { kind: 'done'; manifest: ThemeManifest }
  | { kind: 'cancelled' }
  | { kind: 'failed'; error: unknown };

export function UploadCard({ onInstalled }: { onInstalled: () => void }) {
  const { t } = useTranslation('admin-themes');
  const input = useRef<HTMLInputElement>(null);
  const running = useRef<AbortController | undefined>(undefined);
  const [file, setFile] = useState<File>();
  const [problem, setProblem] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  useEffect(() => () => running.current?.abort(), []);
  const busy = phase.kind === 'uploading' || phase.kind === 'installing';

  const start = async () => {
    setProblem('');
    if (!file) return setProblem(t('upload.errors.noFile'));
    if (!/\.zip$/i.test(file.name)) return setProblem(t('upload.errors.notZip'));
    if (file.size === 0) return setProblem(t('upload.errors.empty'));
    const ctl = new AbortController();
    running.current = ctl;
    setPhase({ kind: 'uploading', sent: 0, total: file.size });
    try {
      const manifest = await uploadInChunks<ThemeManifest>(file, 'theme', {
        signal: ctl.signal,
        // the bar stays at 100 % while the server installs
        onProgress: (sent, total) => setPhase(sent < total ? { kind: 'uploading', sent, total } : { kind: 'installing' }),
      });
      setPhase({ kind: 'done', manifest });
      setFile(undefined);
      if (input.current) input.current.value = '';
      onInstalled();
    } catch (err) {
      setPhase(ctl.signal.aborted ? { kind: 'cancelled' } : { kind: 'failed', error: err });
    }
  };

  return (
    <section className="card themes-card" data-testid="themes-upload">
      <h2>{t('upload.title')}</h2>
      <p className="muted">{t('upload.what')}</p>
      <div className="themes-row">
        <input
          ref={input}
          type="file"
          name="theme"
          accept=".zip,application/zip"
          disabled={busy}
          onChange={(e) => {
            setFile(e.target.files?.[0]);
            setProblem('');
            setPhase({ kind: 'idle' });
          }}
          data-testid="themes-file"
        />
        <button type="button" className="primary" disabled={busy} onClick={() => void start()} data-testid="themes-upload-start">
          {t('upload.button')}
        </button>
      </div>
      <MessageLine text={problem} />
      {phase.kind !== 'idle' && (
        <div className="themes-progress" data-testid="themes-progress" data-phase={phase.kind} aria-live="polite">
          {phase.kind === 'uploading' && (
            <>
              <progress max={phase.total} value={phase.sent} aria-label={t('upload.uploading')} />
              <p className="muted">{t('upload.uploaded', { percent: Math.floor((phase.sent / phase.total) * 100), sent: formatBytes(phase.sent), total: formatBytes(phase.total) })}</p>
              <div className="tools-actions">
                <button type="button" onClick={() => running.current?.abort()}>
                  {t('upload.cancel')}
                </button>
              </div>
            </>
          )}
          {phase.kind === 'installing' && (
            <>
              <progress max={1} value={1} aria-label={t('upload.installing')} />
              <p className="muted">{t('upload.installing')}</p>
            </>
          )}
          {phase.kind === 'done' && (
            <>
              <progress max={1} value={1} aria-label={t('upload.installed')} />
              <p className="ok-text" role="status">
                {t('upload.installed')}
              </p>
              <ManifestView manifest={phase.manifest} testId="themes-upload-manifest" />
            </>
          )}
          {phase.kind === 'cancelled' && <p className="muted">{t('upload.cancelled')}</p>}
          {phase.kind === 'failed' && <MessageLine text={errorText(t, phase.error)} testId="themes-upload-error" />}
        </div>
      )}
    </section>
  );
}
