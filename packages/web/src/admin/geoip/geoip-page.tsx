// Admin → GeoIP: try the country lookup the server uses to fill a node's region.
import { useTranslation } from 'react-i18next';
import { GeoipForm } from './geoip-form.tsx';
import '../shared/tools-page.css';
import './geoip.css';

export default function GeoipPage() {
  const { t } = useTranslation('admin-geoip');
  return (
    <section className="tools-page geoip-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
      </div>
      <p className="muted tools-intro">{t('intro')}</p>
      <GeoipForm />
    </section>
  );
}
