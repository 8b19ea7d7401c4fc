// Admin → Database: how much room the data takes, giving free space back (vacuum), and clearing
// history. Its own page, not a section of Settings: those are a form saved at once, these are
// immediate actions that each ask first and report their result.
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.ts';
import { getDatabaseSize } from './database-api.ts';
import { ClearRecordsCard } from './clear-records-card.tsx';
import { SizeCard } from './size-card.tsx';
import '../shared/tools-page.css';
import './database.css';

export default function DatabasePage() {
  const { t } = useTranslation('admin-database');
  const size = useAsync((signal) => getDatabaseSize(signal), []);
  return (
    <section className="tools-page database-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
      </div>
      <p className="muted tools-intro">{t('intro')}</p>
      <SizeCard size={size} />
      <ClearRecordsCard onCleared={size.reload} />
    </section>
  );
}
