import { posix } from 'node:path';
import type { LocalizedText, ThemeConfiguration, ThemeManifest } from '@komari-ts/protocol';
import { AppError } from '../../errors.ts';

/** Komari's words for a manifest it refuses (themes.md §2), returned as the message of a 400. */
export const manifestRefusals = {
  missing: '主题配置文件 komari-theme.json 不存在',
  tooLarge: (max: number) => `主题配置文件超过 ${max} 字节限制`,
  notJson: (err: string) => `主题配置格式错误: ${err}`,
  required: '主题配置缺少必填字段（name、short）',
  badShort: '主题short字段格式无效，只允许字母、数字、下划线和连字符',
  rawWithoutHtml: 'raw 类型主题需要在 configuration.data 中提供 HTML 字符串',
  badRedirect: 'redirect 类型主题需要在 configuration.data 中提供站内相对路径',
  unknownType: (type: string) => `不支持的主题类型: ${type}`,
} as const;

const refuse = (message: string) => AppError.invalidParams(message);

/** A directory name, URL segment and settings key (themes.md §2); `default` is the built-in theme. */
export function isValidShort(short: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(short) && short !== 'default';
}

/** A non-blank string, or an object with at least one non-blank string value (Komari's IsLocalizedText). */
function isLocalizedText(v: unknown): boolean {
  if (typeof v === 'string') return v.trim() !== '';
  if (!isObject(v)) return false;
  return Object.values(v).some((x) => typeof x === 'string' && x.trim() !== '');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string or a map of strings, kept; anything else is not text and comes back null. */
function localized(v: unknown): LocalizedText | null {
  if (typeof v === 'string') return v;
  if (!isObject(v)) return null;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string>;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
}

/** A string field as Go's decoder reads it: absent or null is "", any other type fails the decode. */
function stringField(obj: Record<string, unknown>, key: string, owner: string): string {
  const v = obj[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw refuse(manifestRefusals.notJson(`json: cannot unmarshal ${kindOf(v)} into Go struct field ${owner}.${key} of type string`));
  return v;
}

function configurationOf(v: unknown): ThemeConfiguration {
  if (v === undefined || v === null) return { type: '', icon: '', name: null, data: null };
  if (!isObject(v)) throw refuse(manifestRefusals.notJson(`json: cannot unmarshal ${kindOf(v)} into Go struct field Theme.configuration of type models.ThemeConfiguration`));
  return {
    type: stringField(v, 'type', 'Theme.configuration'),
    icon: stringField(v, 'icon', 'Theme.configuration'),
    name: localized(v.name),
    data: v.data === undefined ? null : v.data,
  };
}

/**
 * A parsed manifest in the fixed shape every API answers (unknown fields dropped). Decoding
 * faults (not an object, a string field of another type) fail as Komari's JSON decoder does;
 * nothing else is checked here (`validateManifest` does).
 */
export function shapeManifest(value: unknown): ThemeManifest {
  if (value === null) value = {};
  if (!isObject(value)) throw refuse(manifestRefusals.notJson(`json: cannot unmarshal ${kindOf(value)} into Go value of type models.Theme`));
  return {
    name: localized(value.name),
    short: stringField(value, 'short', 'Theme'),
    description: localized(value.description),
    version: stringField(value, 'version', 'Theme'),
    author: localized(value.author),
    url: stringField(value, 'url', 'Theme'),
    preview: stringField(value, 'preview', 'Theme'),
    configuration: configurationOf(value.configuration),
  };
}

/** The manifest's text parsed, shaped and validated (themes.md §2–§3); throws the 400 Komari answers. */
export function parseManifest(text: string): ThemeManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw refuse(manifestRefusals.notJson((err as Error).message));
  }
  const manifest = shapeManifest(value);
  if (!isLocalizedText(isObject(value) ? value.name : undefined) || manifest.short === '') throw refuse(manifestRefusals.required);
  if (!isValidShort(manifest.short)) throw refuse(manifestRefusals.badShort);
  validateConfiguration(manifest.configuration);
  return manifest;
}

/** `managed` data is never checked (bad items read as none); `raw` needs HTML, `redirect` an in-site path. */
export function validateConfiguration(c: ThemeConfiguration): void {
  const type = c.type.trim().toLowerCase();
  if (type === '' || type === 'managed') return;
  if (type === 'raw') {
    if (typeof c.data !== 'string' || c.data.trim() === '') throw refuse(manifestRefusals.rawWithoutHtml);
    return;
  }
  if (type === 'redirect') {
    if (typeof c.data !== 'string' || normaliseRedirect(c.data) === undefined) throw refuse(manifestRefusals.badRedirect);
    return;
  }
  throw refuse(manifestRefusals.unknownType(c.type));
}

/**
 * A redirect target as an in-site absolute path (themes.md §3): `nodes` → `/nodes`,
 * `../../settings/site` → `/settings/site`, query and fragment kept; undefined for a blank
 * target, a backslash, `//host`, a scheme, or a `..` left after the leading ones are dropped.
 */
export function normaliseRedirect(target: string): string | undefined {
  const t = target.trim();
  if (t === '' || t.includes('\\') || t.startsWith('//') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(t)) return undefined;
  const cut = t.search(/[?#]/);
  let path = cut < 0 ? t : t.slice(0, cut);
  const rest = cut < 0 ? '' : t.slice(cut);
  if (path.startsWith('/')) path = path.replace(/^\/+/, '');
  else while (path.startsWith('../')) path = path.slice(3);
  if (path.split('/').includes('..')) return undefined;
  return posix.normalize('/' + path) + rest;
}
