import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importKinds } from '@komari-ts/protocol/import-report';

// Every namespace must exist in both languages with the same keys, and no string may be empty:
// a key present in one language only would show a raw key (or an i18n console error) in the other.
const root = fileURLToPath(new URL('../src/i18n/locales', import.meta.url));
const languages = readdirSync(root).sort();

function keysOf(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

function load(lang: string, ns: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(root, lang, `${ns}.json`), 'utf8')) as Record<string, unknown>;
}

describe('web translations', () => {
  it('has English and Simplified Chinese', () => {
    assert.deepEqual(languages, ['en', 'zh-CN']);
  });

  const namespaces = readdirSync(join(root, 'en')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  for (const ns of namespaces) {
    it(`namespace ${ns}: same keys in every language, none empty`, () => {
      const en = load('en', ns);
      const enKeys = keysOf(en).sort();
      for (const lang of languages) {
        const data = load(lang, ns);
        assert.deepEqual(keysOf(data).sort(), enKeys, `${lang}/${ns}.json`);
        for (const key of keysOf(data)) {
          const v = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], data);
          assert.ok(typeof v === 'string' && v.trim() !== '', `${lang}/${ns}.json: ${key} is empty or not a string`);
        }
      }
    });
  }

  it('no namespace exists in one language only', () => {
    for (const lang of languages) {
      assert.deepEqual(readdirSync(join(root, lang)).sort(), readdirSync(join(root, 'en')).sort(), lang);
    }
  });

  it("names every kind an import reports, so the import report never shows the server's raw name", () => {
    // the other tests hold zh-CN to en's keys
    const kinds = (load('en', 'admin-backup') as { report: { kinds: Record<string, string> } }).report.kinds;
    assert.deepEqual(Object.keys(kinds).sort(), [...importKinds].sort());
  });
});
