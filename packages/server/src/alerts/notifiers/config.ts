import type { ProviderItem } from '@komari-ts/protocol';
import type { z } from 'zod';
import type { NotifierDef } from './types.ts';

interface FieldMeta {
  required?: boolean;
  help?: string;
  /** `richtext`: a multi-line text the form shows as a text area */
  type?: 'richtext';
}

type Field = z.ZodType;

/** The schema under `.default()`, `.optional()` and `.meta()`. */
function innerOf(field: Field): Field {
  let s = field;
  for (;;) {
    const t = s.def.type;
    if (t === 'default' || t === 'optional' || t === 'nullable' || t === 'prefault') s = (s.def as unknown as { innerType: Field }).innerType;
    else return s;
  }
}

function defaultOf(field: Field): unknown {
  for (let s = field; ; s = (s.def as unknown as { innerType: Field }).innerType) {
    if (s.def.type === 'default') return (s.def as unknown as { defaultValue: unknown }).defaultValue;
    if (!('innerType' in s.def)) return undefined;
  }
}

function metaOf(field: Field): FieldMeta {
  return (field.meta() as FieldMeta | undefined) ?? {};
}

/** Komari's Item type for a field: `string`, `int`, `bool`, `option` or `richtext`. */
function itemType(field: Field): string {
  if (metaOf(field).type === 'richtext') return 'richtext';
  const t = innerOf(field).def.type;
  if (t === 'number') return 'int';
  if (t === 'boolean') return 'bool';
  if (t === 'enum') return 'option';
  return 'string';
}

/** The field schemas Komari's admin UI renders its form from (admin-api.md §3.5). */
export function itemsOf(def: NotifierDef): ProviderItem[] {
  return Object.entries(def.config.shape as Record<string, Field>).map(([name, field]) => {
    const inner = innerOf(field);
    const d = defaultOf(field);
    return {
      name,
      required: metaOf(field).required ?? false,
      type: itemType(field),
      options: inner.def.type === 'enum' ? (inner as z.ZodEnum).options.join(',') : '',
      default: d === undefined ? '' : String(d),
      help: metaOf(field).help ?? '',
    };
  });
}

/** Komari's zero-valued config: every field present, "", 0 or false (defaults are not applied). */
export function zeroConfigOf(def: NotifierDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(def.config.shape as Record<string, Field>)) {
    const t = innerOf(field).def.type;
    out[name] = t === 'number' ? 0 : t === 'boolean' ? false : '';
  }
  return out;
}

/** A config text field's bound (a webhook body template is the longest anyone writes). */
export const maxFieldChars = 16 * 1024;

/** The fields that hold a service's address, in every kind. */
const urlFields = /^(url|endpoint|homeserver|server_url|webhook_url|api_url)$/;

/** A config that fails its schema; the message names the field. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * A stored or submitted config, field by field over the zero config: unknown keys dropped, each
 * known field of the right JSON type (a number whole, as Komari's ints; an option one of its
 * choices, when not empty). Empty required fields pass: Komari stores zero-valued rows and checks
 * completeness when sending.
 */
export function storedConfigOf(def: NotifierDef, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError('config must be a JSON object');
  const out = zeroConfigOf(def);
  for (const [name, field] of Object.entries(def.config.shape as Record<string, Field>)) {
    const v = (value as Record<string, unknown>)[name];
    if (v === undefined || v === null) continue;
    const inner = innerOf(field);
    const t = inner.def.type;
    if (t === 'number' && typeof v !== 'number') throw new ConfigError(`${name} must be a number`);
    // Every number field is a Go int in Komari (Item type `int`): 1.5 fails its JSON decode there.
    if (t === 'number' && !Number.isSafeInteger(v)) throw new ConfigError(`${name} must be a whole number`);
    if (t === 'boolean' && typeof v !== 'boolean') throw new ConfigError(`${name} must be a boolean`);
    if ((t === 'string' || t === 'enum') && typeof v !== 'string') throw new ConfigError(`${name} must be a string`);
    if (typeof v === 'string' && v.length > maxFieldChars) throw new ConfigError(`${name} is too long (at most ${maxFieldChars} characters)`);
    if (t === 'enum' && v !== '' && !(inner as z.ZodEnum).options.includes(v as string)) {
      throw new ConfigError(`${name} must be one of ${(inner as z.ZodEnum).options.join(', ')}`);
    }
    // A service address is http(s) or nothing: `file:`, `data:` and the like are refused when saved.
    if (urlFields.test(name) && typeof v === 'string' && v !== '' && !/^https?:\/\//i.test(v)) {
      throw new ConfigError(`${name} must start with http:// or https://`);
    }
    out[name] = v;
  }
  return out;
}

/**
 * The config a send uses: empty fields take their defaults, then the whole schema must hold
 * (required fields filled, URLs valid). Throws a ConfigError naming the first field that fails.
 */
export function sendableConfigOf<C extends z.ZodObject>(def: NotifierDef<C>, value: unknown): z.output<C> {
  const stored = storedConfigOf(def as unknown as NotifierDef, value);
  // "" and 0 mean "not set" in a Komari row: the schema's default applies to them.
  const withoutEmpty = Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== '' && v !== 0));
  const parsed = def.config.safeParse(withoutEmpty);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'config';
  const missing = issue.code === 'invalid_type' && !(field in withoutEmpty);
  throw new ConfigError(missing ? `${field} is required` : `${field}: ${issue.message}`);
}
