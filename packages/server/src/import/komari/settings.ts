import { Buffer } from 'node:buffer';
import type { ImportKind } from '@komari-ts/protocol/import-report';
import { defaultRetention, ignoredSettingKeys, isSettingKey, retentionSchema, settingDefinitions, type RetentionTier } from '@komari-ts/protocol';
import type { ImportContext } from './context.ts';
import { rowsOf } from './source-db.ts';
import { json, jsonObject, sameJson, textOrEmpty } from './values.ts';
import { deeperThan } from '../../util/json-depth.ts';

const kind = 'settings';

/**
 * Komari's `configs` rows. Keys komari-ts knows are checked with its own rules (a value that fails
 * is reported and left out); every other key is kept as it is, as `admin:editSettings` keeps
 * keys it does not know (the older keys `allow_cors`, `record_*`, `telegram_*`, Komari's
 * `metric_*` and `system_version` among them). Then what the older keys meant is carried onto
 * komari-ts's: the retention keys raise history tiers that keep less, the 0.0.x Telegram keys
 * fill the telegram sender. Theme settings are rows of their own (importThemeSettings).
 */
export async function importSettings(ctx: ImportContext): Promise<Record<string, unknown>> {
  const source = readConfigs(ctx);
  const target = await ctx.store.settings.all();
  const wanted: Record<string, unknown> = {};
  const maxUnknown = ctx.limits.komariImport.maxUnknownSettings;
  let unknown = 0;
  for (const [key, value] of Object.entries(source)) {
    if (ignoredSettingKeys.has(key)) {
      ctx.report.skip(kind, 'Komari itself drops this key', key);
      continue;
    }
    if (isSettingKey(key)) {
      const parsed = settingDefinitions[key].schema.safeParse(value);
      if (!parsed.success) {
        ctx.report.skip(kind, `${parsed.error.issues[0]?.message ?? 'not a valid value'}: left at this server's value`, key);
        continue;
      }
      wanted[key] = parsed.data;
    } else if (++unknown > maxUnknown) {
      ctx.report.skip(kind, `more than ${maxUnknown} keys komari-ts does not know: left this one out`, key);
    } else {
      wanted[key] = value;
    }
  }
  legacyNotificationDefaults(ctx, source, wanted);
  // Komari 0.0.x's switch for its settings-based Telegram sender (the sender itself: providers.ts)
  if (source.telegram_enabled === true && [undefined, '', 'none'].includes(source.notification_method as string)) wanted.notification_method = 'telegram';
  const retention = raisedRetention(target.history_retention, source);
  if (retention) wanted.history_retention = retention;
  await write(ctx, kind, wanted, target);
  return source;
}

function readConfigs(ctx: ImportContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const r of rowsOf(ctx.db, 'configs')) {
    const key = textOrEmpty(r.key) ?? '';
    if (key === '' || key.length > 255 || key === '__proto__') {
      ctx.report.skip(kind, 'a key that is empty, longer than 255 characters or "__proto__"');
      continue;
    }
    const maxChars = ctx.limits.komariImport.maxSettingValueChars;
    if ((typeof r.value === 'string' || r.value instanceof Uint8Array) && r.value.length > maxChars) {
      ctx.report.skip(kind, `its value is over ${maxChars} characters`, key);
      continue;
    }
    const value = json(r.value);
    if (!value) {
      ctx.report.skip(kind, 'its value is not JSON', key);
      continue;
    }
    out[key] = value.value;
  }
  return out;
}

/** Writes values: fresh replaces the target's, merge only fills keys the target lacks. */
export async function write(ctx: ImportContext, reportKind: ImportKind, wanted: Record<string, unknown>, target: Record<string, unknown>): Promise<void> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (Object.hasOwn(target, key) && sameJson(target[key], value)) ctx.report.present(reportKind);
    else if (ctx.mode === 'merge' && Object.hasOwn(target, key)) ctx.report.skip(reportKind, "kept this server's value", key);
    else changes[key] = value;
  }
  if (Object.keys(changes).length === 0) return;
  await ctx.store.settings.setMany(changes);
  ctx.report.count(reportKind, Object.keys(changes).length);
}

/** Komari ≤ 1.1 defaulted these to off (notifications.md §1); a database of then without the row meant off. */
function legacyNotificationDefaults(ctx: ImportContext, source: Record<string, unknown>, wanted: Record<string, unknown>): void {
  if (ctx.schema !== '1.0.x' && !/^1\.[01]\./.test(ctx.schema)) return;
  for (const key of ['notification_enabled', 'expire_notification_enabled', 'login_notification']) {
    if (!Object.hasOwn(source, key)) wanted[key] = false;
  }
}

/**
 * Komari's retention keys (minutes of 1-minute buckets, minutes of 5-minute buckets, hours of
 * hourly ones; ≤ 1.2.6: `record_preserve_time` hours) raise the matching tier when Komari kept
 * longer, so imported history is not pruned before Komari would have pruned it; a tier that keeps
 * longer already stays. Coarser tiers are raised with it (the ladder may not shrink).
 */
function raisedRetention(current: unknown, source: Record<string, unknown>): RetentionTier[] | undefined {
  const parsed = retentionSchema.safeParse(current);
  const tiers = (parsed.success ? parsed.data : defaultRetention).map((t) => ({ ...t }));
  const floors: Array<[number, unknown, number]> = [
    [60, source.metric_rollup_minute_retention_minutes, 1 / 60],
    [300, source.metric_rollup_five_minute_retention_minutes, 1 / 60],
    [3600, source.metric_rollup_hour_retention_hours, 1],
    [3600, source.record_preserve_time, 1],
    [3600, source.ping_record_preserve_time, 1],
  ];
  let changed = false;
  for (const [width, value, toHours] of floors) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) continue;
    const hours = Math.min(value * toHours, 100 * 365 * 24);
    const at = tiers.findIndex((t) => t.bucketSeconds === width);
    if (at < 0) continue;
    for (let i = at; i < tiers.length; i++) {
      if (tiers[i]!.keepHours < hours) {
        tiers[i]!.keepHours = hours;
        changed = true;
      }
    }
  }
  return changed ? tiers : undefined;
}

/**
 * Komari's `theme_configurations(short, data)` rows, one per theme, into the same table here
 * (themes/settings/store). Fresh replaces a theme's row; merge keeps a row this server has.
 */
export async function importThemeSettings(ctx: ImportContext): Promise<void> {
  const themeKind = 'themeSettings';
  const maxBytes = ctx.limits.themeSettings.maxSettingsBytes;
  const existing = await ctx.store.themeConfigs.all();
  for (const r of rowsOf(ctx.db, 'theme_configurations')) {
    const short = textOrEmpty(r.short) ?? '';
    const data = jsonObject(r.data);
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(short)) {
      ctx.report.skip(themeKind, 'a theme name that is empty or not [A-Za-z0-9_-]');
      continue;
    }
    if (!data) {
      ctx.report.skip(themeKind, 'its settings are not a JSON object', short);
      continue;
    }
    if (deeperThan(data, ctx.limits.themeSettings.maxSettingsDepth)) {
      ctx.report.skip(themeKind, `its settings nest deeper than ${ctx.limits.themeSettings.maxSettingsDepth} levels`, short);
      continue;
    }
    if (Buffer.byteLength(JSON.stringify(data)) > maxBytes) {
      ctx.report.skip(themeKind, `its settings are over ${maxBytes} bytes`, short);
      continue;
    }
    const here = existing.get(short);
    if (here && sameJson(here, data)) ctx.report.present(themeKind);
    else if (here && ctx.mode === 'merge') ctx.report.skip(themeKind, "kept this server's value", short);
    else {
      await ctx.store.themeConfigs.set(short, data);
      ctx.report.count(themeKind);
    }
  }
}
