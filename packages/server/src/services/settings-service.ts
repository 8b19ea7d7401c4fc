import {
  defaultSettings,
  ignoredSettingKeys,
  isSettingKey,
  settingDefinitions,
  type SettingKey,
  type Settings,
} from '@komari-ts/protocol';
import { AppError } from '../errors.ts';
import type { SettingsStore } from '../store/types.ts';

/**
 * Site settings, held in memory and written through to the store. Every read on a hot path
 * (CORS, private-site gate, API key on every request) is a map lookup: a scalar's checked value
 * is kept until the settings change, so its rule (the API key's strength) runs once, not per
 * request. Objects are checked on each read, which hands out a fresh copy. Every write goes to
 * disk first.
 */
export class SettingsService {
  readonly #store: SettingsStore;
  #values: Record<string, unknown>;
  readonly #checked = new Map<SettingKey, unknown>();

  private constructor(store: SettingsStore, values: Record<string, unknown>) {
    this.#store = store;
    this.#values = values;
  }

  /** Loads settings, first writing every missing default (Komari materialises defaults). */
  static async load(store: SettingsStore): Promise<SettingsService> {
    await store.insertMissing(defaultSettings());
    return new SettingsService(store, await store.all());
  }

  /** Reads every value again from the store (a CLI command changed it from another process). */
  async reload(): Promise<void> {
    this.#values = await this.#store.all();
    this.#checked.clear();
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    if (this.#checked.has(key)) return this.#checked.get(key) as Settings[K];
    const parsed = settingDefinitions[key].schema.safeParse(this.#values[key]);
    const value = parsed.success ? parsed.data : settingDefinitions[key].default;
    if (value === null || typeof value !== 'object') this.#checked.set(key, value);
    return value as Settings[K];
  }

  /** Known keys whose stored value fails its rule and reads as the default (an old short API key). */
  ignoredStoredKeys(): SettingKey[] {
    return Object.keys(this.#values).filter((k): k is SettingKey => isSettingKey(k) && !settingDefinitions[k].schema.safeParse(this.#values[k]).success);
  }

  /** Every stored key, JSON-decoded (what `admin:getSettings` returns). */
  all(): Record<string, unknown> {
    return structuredClone(this.#values);
  }

  /**
   * Validates known keys, keeps unknown ones (old UIs post whole objects back), drops the keys
   * Komari drops, and stores the lot in one transaction. Returns the keys written.
   */
  async update(entries: Record<string, unknown>): Promise<string[]> {
    const clean: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entries)) {
      // `__proto__` would set the prototype of `clean`, not store a key; nothing reads it anyway.
      if (ignoredSettingKeys.has(key) || key === '__proto__') continue;
      if (isSettingKey(key)) {
        const parsed = settingDefinitions[key].schema.safeParse(value);
        if (!parsed.success) {
          // A rule beyond the type (the API key's strength) says itself what it wants.
          const rule = parsed.error.issues.find((i) => i.code === 'custom' && i.path.length === 0);
          if (rule) throw AppError.invalidParams(rule.message);
          const inner = parsed.error.issues.filter((i) => i.path.length > 0).map((i) => `${i.path.join('.')}: ${i.message}`);
          const detail = inner.length > 0 ? ` (${inner.join('; ')})` : '';
          throw AppError.invalidParams(`${key} must be ${describe(key)}${detail}`);
        }
        clean[key] = parsed.data;
      } else {
        clean[key] = value;
      }
    }
    try {
      await this.#store.setMany(clean);
    } catch (err) {
      // JSON.stringify of a value nested thousands deep overflows the stack; nothing was written.
      if (err instanceof RangeError) throw AppError.invalidParams('Invalid or missing request body: value nested too deeply');
      throw err;
    }
    this.#values = { ...this.#values, ...clean };
    this.#checked.clear();
    return Object.keys(clean);
  }
}

function describe(key: SettingKey): string {
  const schema = settingDefinitions[key].schema;
  const t = schema.def.type;
  if (t === 'boolean') return 'a boolean';
  if (t === 'number') return 'isInt' in schema && schema.isInt ? 'an integer' : 'a number';
  if (t === 'string') return 'a string';
  if (t === 'array') return 'a non-empty array';
  return 'an object';
}
