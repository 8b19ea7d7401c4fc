// Admin → Backup: download everything as one zip, restore from one (ours or Komari's), and what
// the last restore did.
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.ts';
import { getRestoreStatus } from './backup-api.ts';
import { DownloadCard } from './download-card.tsx';
import { LastRestoreCard } from './last-restore-card.tsx';
import { RestoreCard } from './restore-card.tsx';
import '../shared/tools-page.css';
import './backup.css';

export default function BackupPage() {
  const { t } = useTranslation('admin-backup');
  const status = useAsync((signal) => getRestoreStatus(signal), []);
  return (
    <section className="tools-page backup-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
      </div>
      <p className="muted tools-intro">{t('intro')}</p>
      <DownloadCard />
      <RestoreCard previousAt={status.data?.last?.at} busyElsewhere={status.data?.restoring === true} onRestored={status.reload} />
      <LastRestoreCard status={status} />
    </section>
  );
}
