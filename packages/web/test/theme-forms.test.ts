import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ManagedItem } from '@komari-ts/protocol/theme';
import { localized } from '../src/admin/themes/localized.ts';
import { draftOf, managedItems, selectOptions, settingsToSave, valueItems } from '../src/admin/themes/managed-values.ts';
import { redirectPath } from '../src/admin/themes/redirect-path.ts';

const items: ManagedItem[] = [
  { type: 'title', name: 'Look' },
  { type: 'textbox', name: '<b>x</b>' },
  { key: 'headline', type: 'string', default: 'Hi' },
  { key: 'refresh', type: 'number', default: 2000 },
  { key: 'count', type: 'number' },
  { key: 'accent', type: 'select', options: ' blue, green ,red' },
  { key: 'dark', type: 'switch', default: true },
  { key: 'footer', type: 'richtext' },
  { key: 'pinned', type: 'nodes', default: '[]' },
  { key: 'probes', type: 'pingtasks' },
  { type: 'string', name: 'no key: ignored' },
];

describe('theme settings form values', () => {
  it('picks a language: exact tag, then normalised, then the base language, then any text', () => {
    assert.equal(localized('plain', 'zh-CN'), 'plain');
    assert.equal(localized(null, 'en'), '');
    assert.equal(localized({ en: 'A', 'zh-CN': 'B' }, 'zh-CN'), 'B');
    assert.equal(localized({ en: 'A', zh_cn: 'B' }, 'zh-CN'), 'B');
    assert.equal(localized({ en: 'A', zh: 'B' }, 'zh-CN'), 'B');
    assert.equal(localized({ fr: 'F', 'zh-CN': ' ' }, 'zh-CN'), 'F');
    assert.equal(localized({ en: 'A', 'en-US': 'US' }, 'en'), 'A');
  });

  it('reads malformed managed data as no items, and only keyed value types hold a value', () => {
    assert.deepEqual(managedItems(null), []);
    assert.deepEqual(managedItems('x'), []);
    assert.deepEqual(managedItems([null, 3, { type: 'string', key: 'a' }]), [{ type: 'string', key: 'a' }]);
    assert.deepEqual(valueItems(items).map((i) => i.key), ['headline', 'refresh', 'count', 'accent', 'dark', 'footer', 'pinned', 'probes']);
    assert.deepEqual(selectOptions(items[5]!), ['blue', 'green', 'red']);
  });

  it('prefills from the defaults the way /api/public merges them', () => {
    assert.deepEqual(draftOf(items, {}), { headline: 'Hi', refresh: '2000', count: '0', accent: 'blue', dark: true, footer: '', pinned: [], probes: [] });
  });

  it('prefills from stored JSON strings and from the arrays /api/public resolves; bad values read as empty', () => {
    const stored = draftOf(items, { headline: '', count: 5, accent: 'red', dark: false, pinned: '["u1","u2"]', probes: '[3, "x", 4.5, 7]' });
    assert.deepEqual(stored, { headline: '', refresh: '2000', count: '5', accent: 'red', dark: false, footer: '', pinned: ['u1', 'u2'], probes: [3, 7] });
    const resolved = draftOf(items, { pinned: ['u1'], probes: [8], footer: { html: 1 } });
    assert.deepEqual([resolved.pinned, resolved.probes, resolved.footer], [['u1'], [8], '{"html":1}']);
    assert.deepEqual([draftOf(items, { pinned: 'not json' }).pinned, draftOf(items, { probes: '{}' }).probes], [[], []]);
  });

  it('saves the whole object: selections as JSON strings, numbers as numbers, unknown keys kept', () => {
    const draft = { ...draftOf(items, {}), count: '', refresh: '1500', pinned: ['u1'], probes: [1, 2] };
    assert.deepEqual(settingsToSave(items, { theirs: 'kept', count: 9 }, draft), {
      theirs: 'kept', headline: 'Hi', refresh: 1500, accent: 'blue', dark: true, footer: '', pinned: '["u1"]', probes: '[1,2]',
    });
  });

  it('links a redirect only to an in-site path, normalised as Komari does', () => {
    const ok = { nodes: '/nodes', '/nodes': '/nodes', '../settings': '/settings', '../../settings/site': '/settings/site', 'nodes?id=1#cpu': '/nodes?id=1#cpu' };
    for (const [from, to] of Object.entries(ok)) assert.equal(redirectPath(from), to, from);
    for (const bad of ['/../admin', 'nodes/../admin', '//example.com', 'https://example.com', 'javascript:alert(1)', '', '  ', 'a\\b', 42, null]) assert.equal(redirectPath(bad), undefined, String(bad));
  });
});
