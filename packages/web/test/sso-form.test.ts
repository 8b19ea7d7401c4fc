import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerOrder } from '../src/admin/sso/provider-names.ts';
import type { ProviderItem } from '@komari-ts/protocol';
import { configOf, draftOf, isSecretField, optionsOf } from '../src/admin/sso/sso-form.ts';

const item = (name: string, over: Partial<ProviderItem> = {}): ProviderItem => ({ name, required: false, type: 'string', options: '', default: '', help: '', ...over });

const qq = [
  item('aggregation_url', { required: true, default: 'https://login.qjqq.cn' }),
  item('app_id', { required: true }),
  item('app_key', { required: true }),
  item('login_type', { required: true, type: 'option', options: 'qq, wx,alipay', default: 'qq' }),
];

describe('single sign-on form', () => {
  it('fills a field with its default only while nothing is saved for it', () => {
    assert.deepEqual(draftOf(qq, {}), { aggregation_url: 'https://login.qjqq.cn', app_id: '', app_key: '', login_type: 'qq' });
    const saved = { aggregation_url: 'https://sso.example', app_id: '7', app_key: 'k', login_type: 'wx' };
    assert.deepEqual(draftOf(qq, saved), saved);
  });

  it('reads int and bool fields as text and a switch, and saves them as a number and a boolean', () => {
    const items = [item('port', { type: 'int', default: '443' }), item('verify', { type: 'bool', default: 'true' })];
    assert.deepEqual(draftOf(items, {}), { port: '443', verify: true });
    assert.deepEqual(draftOf(items, { port: 8443, verify: false }), { port: '8443', verify: false });
    assert.deepEqual(configOf(items, { port: ' 8443 ', verify: false }, {}, true), { ok: true, config: { port: 8443, verify: false } });
    assert.deepEqual(configOf(items, { port: '84x', verify: true }, {}, false), { ok: false, missing: [], notNumbers: ['port'] });
  });

  it('refuses empty required fields only when sign-in is being turned on, and keeps keys the form does not show', () => {
    const draft = { aggregation_url: ' https://login.qjqq.cn ', app_id: '', app_key: '', login_type: 'qq' };
    assert.deepEqual(configOf(qq, draft, {}, true), { ok: false, missing: ['app_id', 'app_key'], notNumbers: [] });
    const result = configOf(qq, draft, { extra: 'kept' }, false);
    assert.deepEqual(result, { ok: true, config: { extra: 'kept', aggregation_url: 'https://login.qjqq.cn', app_id: '', app_key: '', login_type: 'qq' } });
  });

  it('treats names holding "secret" or "key" as secrets and splits option lists', () => {
    assert.deepEqual(['client_secret', 'app_key', 'client_id', 'scope'].map(isSecretField), [true, true, false, false]);
    assert.deepEqual(optionsOf(qq[3]!), ['qq', 'wx', 'alipay']);
  });

  it('lists the known providers first in a fixed order and keeps the saved one the server no longer lists', () => {
    assert.deepEqual(providerOrder(['qq', 'zeta', 'github', 'generic'], 'oidc'), ['github', 'generic', 'qq', 'oidc', 'zeta']);
  });
});
