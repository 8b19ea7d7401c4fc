// The download: the browser saves the zip the server streams (a copy stays on the server).
import { useTranslation } from 'react-i18next';
import { downloadUrl } from './backup-api.ts';

export function DownloadCard() {
  const { t } = useTranslation('admin-backup');
  return (
    <section className="card backup-card" data-testid="backup-download">
      <h2>{t('download.title')}</h2>
      <p>{t('download.what')}</p>
      <p className="muted">{t('download.copy')}</p>
      <div className="tools-actions">
        <a className="button primary" href={downloadUrl} download data-testid="backup-download-link">
          {t('download.button')}
        </a>
      </div>
    </section>
  );
}
