// Rules tab: what sends a notice. The global switch and template first, then one card per kind
// of event, each saving on its own.
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.ts';
import { listPingTasks } from '../ping/ping-api.ts';
import { loadAdminNodes } from '../shared/admin-nodes.ts';
import { loadAlertSettings, loadChannels } from './alerts-api.ts';
import { LoadFailed } from './load-failed.tsx';
import { loadLoadRules, loadOfflineRules, loadPingRules } from './rules-api.ts';
import { LoadRules } from './rules-load.tsx';
import { OfflineRules } from './rules-offline.tsx';
import { PingRules } from './rules-ping.tsx';
import { SettingsCard, type FieldSpec } from './rules-settings.tsx';

const cards: Record<string, readonly FieldSpec[]> = {
  general: [
    { key: 'notification_enabled', type: 'switch' },
    { key: 'notification_template', type: 'template' },
  ],
  traffic: [{ key: 'traffic_limit_percentage', type: 'number' }],
  expiry: [
    { key: 'expire_notification_enabled', type: 'switch' },
    { key: 'expire_notification_lead_days', type: 'whole', min: 1, max: 365 },
    { key: 'expire_notification_hour', type: 'hour' },
  ],
  login: [{ key: 'login_notification', type: 'switch' }],
};

export function RulesTab() {
  const { t } = useTranslation('admin-alerts');
  const settings = useAsync((signal) => loadAlertSettings(signal), []);
  const channels = useAsync((signal) => loadChannels(signal), []);
  const nodes = useAsync((signal) => loadAdminNodes(signal), []);
  const offline = useAsync((signal) => loadOfflineRules(signal), []);
  const load = useAsync((signal) => loadLoadRules(signal), []);
  const ping = useAsync((signal) => loadPingRules(signal), []);
  const tasks = useAsync((signal) => listPingTasks(signal), []);
  const all = [settings, channels, nodes, offline, load, ping, tasks];
  const failed = all.find((a) => a.error);
  if (failed?.error) return <LoadFailed error={failed.error} retry={() => all.forEach((a) => a.error && a.reload())} />;
  if (!settings.data || !channels.data || !nodes.data || !offline.data || !load.data || !ping.data || !tasks.data) return <p className="muted">{t('common:loading')}</p>;

  const card = (name: string) => <SettingsCard card={name} specs={cards[name]!} stored={settings.data!} onSaved={settings.reload} />;
  return (
    <div className="alerts-tab">
      {card('general')}
      <OfflineRules nodes={nodes.data} rules={offline.data} channels={channels.data} onSaved={offline.reload} />
      <LoadRules rules={load.data} nodes={nodes.data} channels={channels.data} onChanged={load.reload} />
      <PingRules rules={ping.data} tasks={tasks.data} nodes={nodes.data} channels={channels.data} onChanged={ping.reload} />
      {card('traffic')}
      {card('expiry')}
      {card('login')}
    </div>
  );
}
