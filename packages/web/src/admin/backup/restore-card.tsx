// Restore: choose a zip, confirm that it replaces everything, then follow the upload and the
// restart to the outcome.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { ConfirmDialog } from '../shared/confirm-dialog.tsx';
import { RestoreProgress } from './restore-progress.tsx';
import { useRestore } from './use-restore.ts';

interface Props {
  /** the last restore the server reported when the page opened */
  previousAt: string | undefined;
  /** the server says a restore is under way already */
  busyElsewhere: boolean;
  onRestored: () => void;
}

export function RestoreCard({ previousAt, busyElsewhere, onRestored }: Props) {
  const { t } = useTranslation('admin-backup');
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [problem, setProblem] = useState('');
  const [asking, setAsking] = useState(false);
  const restore = useRestore(previousAt, onRestored);
  const active = ['uploading', 'checking', 'restarting'].includes(restore.phase.kind);

  const choose = (f: File | undefined) => {
    setProblem('');
    restore.reset();
    setFile(f);
  };
  const ask = () => {
    if (!file) return setProblem(t('restore.errors.noFile'));
    if (!/\.zip$/i.test(file.name)) return setProblem(t('restore.errors.notZip'));
    if (file.size === 0) return setProblem(t('restore.errors.empty'));
    setAsking(true);
  };
  const confirmed = () => {
    setAsking(false);
    if (input.current) input.current.value = '';
    if (file) void restore.start(file);
    setFile(undefined);
    return Promise.resolve();
  };

  return (
    <section className="card backup-card" data-testid="backup-restore">
      <h2>{t('restore.title')}</h2>
      <p>{t('restore.what')}</p>
      <div className="backup-file-row">
        <input ref={input} type="file" name="backup" accept=".zip,application/zip" disabled={active} onChange={(e) => choose(e.target.files?.[0])} data-testid="backup-file" />
        <button type="button" className="danger" disabled={active || busyElsewhere} onClick={ask} data-testid="backup-restore-start">
          {t('restore.button')}
        </button>
      </div>
      {busyElsewhere && !active && <p className="muted">{t('restore.busyElsewhere')}</p>}
      <MessageLine text={problem} testId="backup-restore-problem" />
      <RestoreProgress phase={restore.phase} onCancel={restore.cancel} onWaitAgain={restore.waitAgain} />
      {asking && file && (
        <ConfirmDialog title={t('restore.confirm.title')} label={t('restore.confirm.button')} action={confirmed} onClose={() => setAsking(false)} testId="backup-confirm">
          <p>{t('restore.confirm.question', { name: file.name })}</p>
          <p className="muted">{t('restore.confirm.copy')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
