import { ignoredSettingKeys, isSettingKey } from '@komari-ts/protocol';

/**
 * What komari-ts does with a settings key a Komari admin UI may send (admin-api.md §3.3, §3.4):
 * - `supported`: honoured;
 * - `stored`: kept for the UI that set it (Komari's server does not read it either);
 * - `unsupported`: a Komari feature komari-ts lacks or does differently; stored as sent, not used;
 * - `dropped`: dropped from an edit, as Komari drops it;
 * - `unknown`: not a Komari key; stored as sent (old UIs post whole objects back).
 */
export type SettingSupportStatus = 'supported' | 'stored' | 'unsupported' | 'dropped' | 'unknown';

export interface SettingSupport {
  status: SettingSupportStatus;
  /** why, and what komari-ts offers instead */
  note?: string;
}

const noMetricStore = 'komari-ts keeps history in its one SQLite database: there is no separate metric store to configure';
const tiers = 'history tiers and their retention are the history_retention setting';
const legacyRetention = 'legacy retention; komari-ts keeps history_retention and /api/public derives this field from it';
const oauthInProvider = 'OAuth credentials are the provider configuration (/api/admin/settings/oidc)';
const telegram = 'carried onto the telegram message sender (notifications.md §12)';

/** Komari's keys that are not typed settings of komari-ts, with what happens to them. */
const komariKeys: Record<string, SettingSupport> = {
  script_domain: { status: 'stored', note: 'read by the admin UI only' },
  base_scripts_url: { status: 'stored', note: 'read by the admin UI only' },
  eula_accepted: { status: 'stored', note: 'read by the admin UI only' },
  xtermjs_settings: { status: 'supported', note: 'the web terminal; normalised through /api/admin/settings/xtermjs' },
  telegram_enabled: { status: 'supported', note: telegram },
  telegram_bot_token: { status: 'supported', note: telegram },
  telegram_chat_id: { status: 'supported', note: telegram },
  telegram_endpoint: { status: 'supported', note: telegram },
  metric_db_driver: { status: 'unsupported', note: noMetricStore },
  metric_db_dsn: { status: 'unsupported', note: noMetricStore },
  metric_table_prefix: { status: 'unsupported', note: noMetricStore },
  metric_max_open_conns: { status: 'unsupported', note: noMetricStore },
  metric_max_idle_conns: { status: 'unsupported', note: noMetricStore },
  metric_rollup_minute_retention_minutes: { status: 'unsupported', note: tiers },
  metric_rollup_five_minute_retention_minutes: { status: 'unsupported', note: tiers },
  metric_rollup_hour_retention_hours: { status: 'unsupported', note: tiers },
  theme_market_sources: { status: 'unsupported', note: 'komari-ts has no theme market' },
  // komari-ts kept the active theme's settings under this key before it had Komari's per-theme rows.
  theme_settings: { status: 'unsupported', note: 'theme settings are saved per theme: POST /api/admin/theme/settings?theme=<short>' },
  plugin_market_sources: { status: 'unsupported', note: 'komari-ts has no plugins' },
  system_version: { status: 'unsupported', note: "Komari's boot marker; komari-ts names its version at /api/version" },
  allow_cors: { status: 'unsupported', note: 'replaced by cors_origin_check_enabled and cors_allowed_origins (Komari 1.2.1); /api/public derives it' },
  record_enabled: { status: 'unsupported', note: legacyRetention },
  record_preserve_time: { status: 'unsupported', note: legacyRetention },
  ping_record_preserve_time: { status: 'unsupported', note: legacyRetention },
  o_auth_client_id: { status: 'unsupported', note: oauthInProvider },
  o_auth_client_secret: { status: 'unsupported', note: oauthInProvider },
};

export function settingSupport(key: string): SettingSupport {
  if (ignoredSettingKeys.has(key)) return { status: 'dropped', note: 'Komari drops it from an edit too' };
  if (Object.hasOwn(komariKeys, key)) return komariKeys[key]!;
  if (isSettingKey(key)) return { status: 'supported' };
  return { status: 'unknown', note: 'not a Komari setting; stored as sent' };
}

/** Keys of an edit komari-ts will not act on: what the edit answer reports as `unsupported_keys`. */
export function unsupportedKeys(keys: Iterable<string>): string[] {
  return [...keys].filter((k) => {
    const s = settingSupport(k).status;
    return s === 'unsupported' || s === 'dropped' || s === 'unknown';
  });
}

/** The support of every Komari key and every stored key (`GET /api/admin/settings/support`). */
export function supportMap(storedKeys: Iterable<string>): Record<string, SettingSupport> {
  const keys = new Set([...Object.keys(komariKeys), ...ignoredSettingKeys, ...storedKeys]);
  return Object.fromEntries([...keys].sort().map((k) => [k, settingSupport(k)]));
}
