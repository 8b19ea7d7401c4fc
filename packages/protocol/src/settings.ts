import { z } from 'zod';
import { isAcceptableApiKey, weakApiKeyMessage } from './api-key.ts';
import { quietWindowSchema } from './alerts.ts';
import { defaultRetention, retentionSchema } from './retention.ts';

const defaultTemplate =
  '{{emoji}}{{emoji}}{{emoji}}\nEvent: {{event}}\nClients: {{client}}\nMessage: {{message}}\nTime: {{time}}';

/**
 * Every typed site setting Komari knows (admin-api.md §3.3), with its default. Keys not listed
 * here are still stored as sent (old UIs post whole objects back), but listed keys are validated.
 */
export const settingDefinitions = {
  sitename: { schema: z.string(), default: 'Komari' },
  description: { schema: z.string(), default: 'A simple server monitor tool.' },
  cors_origin_check_enabled: { schema: z.boolean(), default: true },
  cors_allowed_origins: { schema: z.string(), default: '' },
  ws_origin_check_enabled: { schema: z.boolean(), default: true },
  ws_allowed_origins: { schema: z.string(), default: '' },
  theme: { schema: z.string(), default: 'default' },
  private_site: { schema: z.boolean(), default: false },
  /** komari-ts: ≥ 32 random-looking characters or '' (api-key.ts); a weaker stored key reads as '' */
  api_key: { schema: z.string().refine(isAcceptableApiKey, weakApiKeyMessage), default: '' },
  auto_discovery_key: { schema: z.string(), default: '' },
  script_domain: { schema: z.string(), default: '' },
  send_ip_addr_to_guest: { schema: z.boolean(), default: false },
  visitor_audit_enabled: { schema: z.boolean(), default: false },
  eula_accepted: { schema: z.boolean(), default: false },
  base_scripts_url: { schema: z.string(), default: '' },
  geo_ip_enabled: { schema: z.boolean(), default: true },
  geo_ip_provider: { schema: z.string(), default: 'ipinfo' },
  o_auth_enabled: { schema: z.boolean(), default: false },
  o_auth_provider: { schema: z.string(), default: 'github' },
  disable_password_login: { schema: z.boolean(), default: false },
  custom_head: { schema: z.string(), default: '' },
  custom_body: { schema: z.string(), default: '' },
  notification_enabled: { schema: z.boolean(), default: true },
  notification_method: { schema: z.string(), default: 'none' },
  notification_template: { schema: z.string(), default: defaultTemplate },
  expire_notification_enabled: { schema: z.boolean(), default: true },
  expire_notification_lead_days: { schema: z.number().int(), default: 7 },
  login_notification: { schema: z.boolean(), default: true },
  traffic_limit_percentage: { schema: z.number(), default: 80 },
  /** komari-ts: the local hour the daily expiry reminder goes out (Komari: always 9) */
  expire_notification_hour: { schema: z.number().int().min(0).max(23), default: 9 },
  /** komari-ts: quiet hours for every rule without its own; null = none */
  alert_quiet_hours: { schema: quietWindowSchema.nullable(), default: null as null | { start: string; end: string; after: 'summary' | 'drop' } },
  tempory_share_token: { schema: z.string(), default: '' },
  tempory_share_token_expire_at: { schema: z.number().int(), default: 0 },
  /** komari-ts (issue 18): server-wide remote control switches; a node's override beats them (remote-control/) */
  remote_exec_enabled: { schema: z.boolean(), default: true },
  remote_terminal_enabled: { schema: z.boolean(), default: true },
  remote_files_enabled: { schema: z.boolean(), default: true },
  /** history tiers and their retention (komari-ts; Komari keeps these as metric_rollup_* keys) */
  history_retention: { schema: retentionSchema, default: defaultRetention.map((t) => ({ ...t })) },
} as const;

export type SettingKey = keyof typeof settingDefinitions;
export type Settings = { [K in SettingKey]: z.output<(typeof settingDefinitions)[K]['schema']> };

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(settingDefinitions, key);
}

export function defaultSettings(): Settings {
  const out: Record<string, unknown> = {};
  for (const [k, def] of Object.entries(settingDefinitions)) out[k] = structuredClone(def.default);
  return out as Settings;
}

/** Keys Komari silently drops from an edit. */
export const ignoredSettingKeys = new Set(['low_resource_mode']);
