// Where a restore is: the upload's progress bar, the checks, the restart, and how it ended.
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../lib/format.ts';
import { errorText } from '../shared/error-text.ts';
import type { RestoreAccepted } from './backup-api.ts';
import { LastRestoreView } from './last-restore-view.tsx';
import type { RestorePhase } from './use-restore.ts';

interface Props {
  phase: RestorePhase;
  onCancel: () => void;
  onWaitAgain: (accepted: RestoreAccepted) => void;
}

export function RestoreProgress({ phase, onCancel, onWaitAgain }: Props) {
  const { t } = useTranslation('admin-backup');
  if (phase.kind === 'idle') return null;
  return (
    <div className="backup-progress" data-testid="backup-progress" data-phase={phase.kind} aria-live="polite">
      {phase.kind === 'uploading' && (
        <>
          <progress max={phase.total} value={phase.sent} aria-label={t('progress.uploading')} />
          <p className="muted">
            {t('progress.uploaded', { percent: Math.floor((phase.sent / phase.total) * 100), sent: formatBytes(phase.sent), total: formatBytes(phase.total) })}
          </p>
          <div className="tools-actions">
            <button type="button" onClick={onCancel} data-testid="backup-cancel">
              {t('progress.cancel')}
            </button>
          </div>
        </>
      )}
      {phase.kind === 'checking' && (
        <>
          <progress aria-label={t('progress.checking')} />
          <p className="muted">{t('progress.checking')}</p>
        </>
      )}
      {phase.kind === 'restarting' && (
        <>
          <progress aria-label={t('progress.restarting')} />
          <p className="muted">{t('progress.restarting')}</p>
        </>
      )}
      {phase.kind === 'done' && <LastRestoreView last={phase.last} fallbackReport={phase.accepted.report} />}
      {phase.kind === 'timeout' && (
        <p className="error-text" role="alert">
          {t('progress.timeout')}{' '}
          <button type="button" onClick={() => onWaitAgain(phase.accepted)}>
            {t('progress.waitAgain')}
          </button>
        </p>
      )}
      {phase.kind === 'cancelled' && <p className="muted">{t('progress.cancelled')}</p>}
      {phase.kind === 'failed' && (
        <p className="error-text" role="alert" data-testid="backup-restore-error">
          {t('progress.failed', { message: errorText(t, phase.error) })}
        </p>
      )}
    </div>
  );
}
