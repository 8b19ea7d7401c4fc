// The settings this page edits and how a draft becomes the partial body POST /api/admin/settings
// takes (admin-api.md §3.2): only keys whose value changed, so a save never rewrites a setting
// another admin (or another page) changed meanwhile.
import type { RetentionTier } from '@komari-ts/protocol';
import { remoteSwitchKeys } from '../remote-control/remote-kinds.ts';
import { rowOf, tierOf, type TierRow } from './retention-units.ts';

export const textKeys = ['sitename', 'description', 'custom_head', 'custom_body', 'auto_discovery_key'] as const;
export const switchKeys = ['private_site', 'disable_password_login', 'cors_origin_check_enabled', 'ws_origin_check_enabled', 'send_ip_addr_to_guest', ...remoteSwitchKeys] as const;
export type TextKey = (typeof textKeys)[number];
export type SwitchKey = (typeof switchKeys)[number];

export interface SettingsDraft {
  text: Record<TextKey, string>;
  switches: Partial<Record<SwitchKey, boolean>>;
  tiers: TierRow[];
}

export type StoredSettings = Record<string, unknown>;

export function draftOf(s: StoredSettings): SettingsDraft {
  const text = Object.fromEntries(textKeys.map((k) => [k, typeof s[k] === 'string' ? s[k] : ''])) as Record<TextKey, string>;
  // a switch the server does not know (older servers lack some) is left out rather than invented
  const switches: Partial<Record<SwitchKey, boolean>> = {};
  for (const k of switchKeys) if (typeof s[k] === 'boolean') switches[k] = s[k];
  const tiers = Array.isArray(s.history_retention) ? (s.history_retention as RetentionTier[]).map(rowOf) : [];
  return { text, switches, tiers };
}

export function changedSettings(stored: StoredSettings, d: SettingsDraft): Record<string, unknown> {
  const candidate: Record<string, unknown> = { ...d.text, ...d.switches };
  if (Array.isArray(stored.history_retention)) candidate.history_retention = d.tiers.map(tierOf);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(candidate)) {
    if (JSON.stringify(v) !== JSON.stringify(stored[k] ?? (typeof v === 'string' ? '' : undefined))) out[k] = v;
  }
  return out;
}

/** A key for auto-discovery: 24 characters of [0-9A-Za-z], like Komari's own tokens. */
export function randomKey(length = 24): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const out: string[] = [];
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      // bytes ≥ 248 would make the first 0-9 a little likelier than the rest
      if (b < 248 && out.length < length) out.push(alphabet[b % 62]!);
    }
  }
  return out.join('');
}
