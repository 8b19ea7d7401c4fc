// One restore's outcome: when, from what kind of backup, whether it worked, and its import report.
import type { ImportReport as Report } from '@komari-ts/protocol/import-report';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../logs/time-text.ts';
import type { LastRestore } from './backup-api.ts';
import { ImportReport } from './import-report.tsx';

/** `fallbackReport`: the merge's report, shown when the status carries none. */
export function LastRestoreView({ last, fallbackReport }: { last: LastRestore; fallbackReport?: Report }) {
  const { t, i18n } = useTranslation('admin-backup');
  const report = last.report ?? fallbackReport;
  return (
    <div className={last.ok ? 'backup-outcome ok' : 'backup-outcome failed'} data-testid="backup-outcome" data-ok={last.ok}>
      <p className={last.ok ? 'ok-text' : 'error-text'}>
        <strong>{last.ok ? t('outcome.ok') : t('outcome.failed')}</strong>
      </p>
      <p className="muted">
        {formatDateTime(last.at, i18n.language)} · {i18n.exists(`admin-backup:outcome.kind.${last.kind}`) ? t(`outcome.kind.${last.kind}`) : last.kind}
      </p>
      {last.message && <p className="backup-message">{last.message}</p>}
      {report && <ImportReport report={report} />}
    </div>
  );
}
