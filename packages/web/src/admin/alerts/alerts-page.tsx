// Admin → Alerts: where notices go (channels), what sends them (rules), when they wait (quiet
// hours) and what was sent (history). The tab is in the address (?tab=) so a reload or a link
// lands on the same tab.
import { useTranslation } from 'react-i18next';
import { navigate, useLocation } from '../../lib/router.tsx';
import { ChannelsTab } from './channels-tab.tsx';
import { HistoryTab } from './history-tab.tsx';
import { QuietHours } from './quiet-hours.tsx';
import { RulesTab } from './rules-tab.tsx';
import '../shared/tools-page.css';
import '../settings/settings.css';
import '../sso/sso.css'; // the sender fields' look
import './alerts.css';

const tabs = ['channels', 'rules', 'quiet', 'history'] as const;
type Tab = (typeof tabs)[number];

const isTab = (v: string | null): v is Tab => (tabs as readonly (string | null)[]).includes(v);

export default function AlertsPage() {
  const { t } = useTranslation('admin-alerts');
  const { query } = useLocation();
  const wanted = query.get('tab');
  const tab: Tab = isTab(wanted) ? wanted : 'channels';
  return (
    <section className="tools-page alerts-page">
      <h1>{t('title')}</h1>
      <p className="muted tools-intro">{t('intro')}</p>
      <div className="alerts-tabs" role="tablist" aria-label={t('title')}>
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`alerts-tab-${name}`}
            aria-selected={tab === name}
            aria-controls="alerts-panel"
            className={tab === name ? 'is-active' : ''}
            data-testid={`alerts-tab-${name}`}
            onClick={() => navigate(`/admin/alerts?tab=${name}`, { replace: true })}
          >
            {t(`tabs.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="alerts-panel" aria-labelledby={`alerts-tab-${tab}`} className="alerts-panel">
        {tab === 'channels' && <ChannelsTab />}
        {tab === 'rules' && <RulesTab />}
        {tab === 'quiet' && <QuietHours />}
        {tab === 'history' && <HistoryTab />}
      </div>
    </section>
  );
}
