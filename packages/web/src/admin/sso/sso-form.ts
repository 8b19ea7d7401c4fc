// How a provider's field list (ProviderItem[]) becomes a form draft and how the draft becomes the
// config saved as `addition`. Text boxes hold strings; `int` fields are numbers and `bool` fields
// booleans in the saved JSON, as the server's Go structs read them.

import type { ProviderItem } from '@komari-ts/protocol';

/** provider name → its fields */
export type ProviderSchemas = Record<string, ProviderItem[]>;

export type FieldValue = string | boolean;
export type ProviderDraft = Record<string, FieldValue>;

/** Shown as a password box with a show toggle (`token_url` is an address, `bot_token` a secret). */
export const isSecretField = (name: string) => /secret|key|password|(^|_)token$/i.test(name);

export const optionsOf = (item: ProviderItem) =>
  item.options
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);

/** The saved value of each field, or its default when nothing is saved (the server applies none). */
export function draftOf(items: ProviderItem[], saved: Record<string, unknown>): ProviderDraft {
  const draft: ProviderDraft = {};
  for (const item of items) {
    const value = saved[item.name];
    if (item.type === 'bool') draft[item.name] = typeof value === 'boolean' ? value : item.default === 'true';
    else if (typeof value === 'number') draft[item.name] = String(value);
    else draft[item.name] = typeof value === 'string' && value !== '' ? value : (item.default ?? '');
  }
  return draft;
}

export type ConfigResult = { ok: true; config: Record<string, unknown> } | { ok: false; missing: string[]; notNumbers: string[] };

/**
 * The config to save: the saved one (keys this form does not show are kept) with every field of
 * the draft written over it. Required fields are checked only when `checkRequired` (sign-in is
 * being turned on with this provider): a half-filled provider may be saved while it is off.
 */
export function configOf(items: ProviderItem[], draft: ProviderDraft, saved: Record<string, unknown>, checkRequired: boolean): ConfigResult {
  const config: Record<string, unknown> = { ...saved };
  const missing: string[] = [];
  const notNumbers: string[] = [];
  for (const item of items) {
    const value = draft[item.name];
    if (item.type === 'bool') {
      config[item.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? (item.type === 'richtext' ? value : value.trim()) : '';
    if (item.required && checkRequired && text.trim() === '') missing.push(item.name);
    if (item.type === 'int') {
      if (text !== '' && !/^-?\d+$/.test(text)) notNumbers.push(item.name);
      config[item.name] = text === '' ? 0 : Number(text);
    } else {
      config[item.name] = text;
    }
  }
  return missing.length || notNumbers.length ? { ok: false, missing, notNumbers } : { ok: true, config };
}
