/**
 * A theme's manifest as every API returns it (themes.md §2): Komari re-serialises this fixed
 * shape, dropping unknown fields; absent `name`/`description`/`author` come back as null, absent
 * strings as "", and `configuration` always appears.
 */

/** A plain string or one per language tag (`{"en": "…", "zh-CN": "…"}`). */
export type LocalizedText = string | Record<string, string>;

export const managedItemTypes = ['title', 'textbox', 'string', 'number', 'select', 'switch', 'richtext', 'nodes', 'pingtasks'] as const;
export type ManagedItemType = (typeof managedItemTypes)[number];

/** One item of a `managed` configuration (themes.md §3.1); unknown types are kept as sent. */
export interface ManagedItem {
  key?: string;
  name?: LocalizedText;
  type: ManagedItemType | string;
  /** `select` choices, comma-separated */
  options?: string;
  default?: unknown;
  required?: boolean;
  help?: LocalizedText;
}

export interface ThemeConfiguration {
  /** `managed` | `raw` | `redirect`, or "" when the manifest has none (= managed) */
  type: string;
  icon: string;
  name: LocalizedText | null;
  /** managed: ManagedItem[]; raw: an HTML string; redirect: an in-site path; null when absent */
  data: unknown;
}

export interface ThemeManifest {
  name: LocalizedText | null;
  short: string;
  description: LocalizedText | null;
  version: string;
  author: LocalizedText | null;
  url: string;
  preview: string;
  configuration: ThemeConfiguration;
}
