// Upload into the folder shown: choose a file, confirm when it would replace one of the same name,
// then follow the bar to 100 % (or cancel, which drops the half upload on the server and agent).
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../lib/format.ts';
import { MessageLine } from '../../lib/message-line.tsx';
import { ConfirmDialog } from '../shared/confirm-dialog.tsx';
import { errorText } from '../shared/error-text.ts';
import { joinPath } from './file-paths.ts';
import { uploadFile } from './file-upload.ts';
import type { GatedRun } from './use-code-gate.tsx';

interface Props {
  uuid: string;
  dir: string;
  /** names already in the folder: uploading over one asks first */
  taken: ReadonlySet<string>;
  run: GatedRun;
  onUploaded: (name: string) => void;
}

type Phase =
  | { kind: 'idle' }
  | { kind: 'sending' | 'done'; name: string; sent: number; total: number } | { kind: 'failed'; name: string; error: unknown } | { kind: 'cancelled'; name: string };

export function UploadPanel({ uuid, dir, taken, run, onUploaded }: Props) {
  const { t } = useTranslation('admin-files');
  const input = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController>(undefined);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [replacing, setReplacing] = useState<File>();

  const start = async (file: File) => {
    const ctl = new AbortController();
    abort.current = ctl;
    setPhase({ kind: 'sending', name: file.name, sent: 0, total: file.size });
    try {
      await run((code) =>
        uploadFile(uuid, joinPath(dir, file.name), file, {
          code,
          signal: ctl.signal,
          onProgress: (sent, total) => setPhase({ kind: 'sending', name: file.name, sent, total }),
        }),
      );
      // the full bar stays, saying it is done, until the next upload
      setPhase({ kind: 'done', name: file.name, sent: file.size, total: file.size });
      onUploaded(file.name);
    } catch (err) {
      setPhase(ctl.signal.aborted ? { kind: 'cancelled', name: file.name } : { kind: 'failed', name: file.name, error: err });
    } finally {
      if (input.current) input.current.value = '';
    }
  };
  const choose = (file: File | undefined) => {
    if (!file) return;
    if (taken.has(file.name)) return setReplacing(file);
    void start(file);
  };

  const sending = phase.kind === 'sending';
  const shown = phase.kind === 'sending' || phase.kind === 'done' ? phase : undefined;
  const percent = shown ? (shown.total ? Math.floor((shown.sent / shown.total) * 100) : 100) : 0;
  return (
    <div className="files-upload" data-testid="files-upload">
      <label className="button files-upload-pick">
        <span>{t('upload.choose')}</span>
        <input ref={input} type="file" name="upload" disabled={sending} onChange={(e) => choose(e.target.files?.[0])} data-testid="files-upload-input" />
      </label>
      {shown && (
        <div className="files-upload-progress" aria-live="polite" data-testid="files-upload-progress" data-state={shown.kind} data-percent={percent}>
          <progress max={100} value={percent} aria-label={t('upload.progressLabel', { name: shown.name })} />
          <span className={shown.kind === 'done' ? 'ok-text' : 'muted'}>
            {shown.kind === 'done'
              ? t('upload.done', { name: shown.name, total: formatBytes(shown.total) })
              : t('upload.progress', { name: shown.name, percent, sent: formatBytes(shown.sent), total: formatBytes(shown.total) })}
          </span>
          {sending && (
            <button type="button" onClick={() => abort.current?.abort()} data-testid="files-upload-cancel">
              {t('upload.cancel')}
            </button>
          )}
        </div>
      )}
      {phase.kind === 'cancelled' && <p className="muted">{t('upload.cancelled', { name: phase.name })}</p>}
      <MessageLine text={phase.kind === 'failed' ? t('upload.failed', { name: phase.name, message: errorText(t, phase.error) }) : ''} testId="files-upload-error" />
      {replacing && (
        <ConfirmDialog
          title={t('upload.replaceTitle')}
          label={t('upload.replace')}
          action={() => {
            const file = replacing;
            setReplacing(undefined);
            void start(file);
            return Promise.resolve();
          }}
          onClose={() => {
            setReplacing(undefined);
            if (input.current) input.current.value = '';
          }}
          testId="files-replace"
        >
          <p>{t('upload.replaceQuestion', { name: replacing.name })}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
