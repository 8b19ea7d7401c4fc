import type { ProviderItem } from '@komari-ts/protocol';

/**
 * A provider's configuration fields as data, and the `Item` schema list Komari derives from its
 * struct tags (admin-api.md §3.5): the web UI renders its form from it and pre-fills `default`.
 */
export interface FieldSpec {
  name: string;
  required?: boolean;
  default?: string;
  help?: string;
}

export function itemsOf(fields: readonly FieldSpec[]): ProviderItem[] {
  return fields.map((f) => ({
    name: f.name,
    required: f.required ?? false,
    type: 'string',
    options: '',
    default: f.default ?? '',
    help: f.help ?? '',
  }));
}

export type ProviderConfig = Record<string, string>;

/** Komari's zero-value config: every field present and empty (the server never applies defaults). */
export function zeroConfig(fields: readonly FieldSpec[]): ProviderConfig {
  return Object.fromEntries(fields.map((f) => [f.name, '']));
}

/**
 * Parses a stored or submitted `addition`: a JSON object whose known fields are strings. Unknown
 * keys are dropped; a missing field reads as "". Throws with the reason otherwise.
 */
export function parseConfig(fields: readonly FieldSpec[], addition: string): ProviderConfig {
  let value: unknown;
  try {
    value = addition.trim() === '' ? {} : JSON.parse(addition);
  } catch (err) {
    throw new Error((err as Error).message, { cause: err });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('addition must be a JSON object');
  const out = zeroConfig(fields);
  for (const f of fields) {
    const v = (value as Record<string, unknown>)[f.name];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new Error(`field ${f.name} must be a string`);
    out[f.name] = v;
  }
  return out;
}
