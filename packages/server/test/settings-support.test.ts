import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { settingDefinitions } from '@komari-ts/protocol';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';

/** A value for every typed setting of komari-ts, none of them its default. */
const typedValues: Record<keyof typeof settingDefinitions, unknown> = {
  sitename: 'Round Trip',
  description: 'a description',
  cors_origin_check_enabled: false,
  cors_allowed_origins: 'https://a.example',
  ws_origin_check_enabled: false,
  ws_allowed_origins: 'https://b.example',
  theme: 'Mochi',
  private_site: true,
  api_key: randomBytes(24).toString('base64url'),
  auto_discovery_key: 'discovery-key-0123456789',
  script_domain: 'scripts.example',
  send_ip_addr_to_guest: true,
  visitor_audit_enabled: true,
  eula_accepted: true,
  base_scripts_url: 'https://raw.example/scripts',
  geo_ip_enabled: false,
  geo_ip_provider: 'mmdb',
  o_auth_enabled: true,
  o_auth_provider: 'generic',
  disable_password_login: true,
  custom_head: '<meta name="x">',
  custom_body: '<p>x</p>',
  notification_enabled: false,
  notification_method: 'none',
  notification_template: '{{event}}',
  expire_notification_enabled: false,
  expire_notification_lead_days: 3,
  login_notification: false,
  traffic_limit_percentage: 92.5,
  expire_notification_hour: 20,
  alert_quiet_hours: { start: '22:00', end: '07:00', after: 'drop' },
  tempory_share_token: 'share-token',
  tempory_share_token_expire_at: 1_900_000_000,
  remote_exec_enabled: false,
  remote_terminal_enabled: false,
  remote_files_enabled: false,
  history_retention: [
    { bucketSeconds: 60, keepHours: 12 },
    { bucketSeconds: 300, keepHours: 48 },
  ],
};

/** Komari's keys that komari-ts has no typed setting for (admin-api.md §3.3, §3.4), with a value each. */
const komariOnly: Record<string, { value: unknown; status: string }> = {
  xtermjs_settings: { value: { terminalPadding: 8 }, status: 'supported' },
  theme_market_sources: { value: [{ name: 'a', url: 'https://m.example' }], status: 'unsupported' },
  theme_settings: { value: { number_A: 99 }, status: 'unsupported' },
  plugin_market_sources: { value: [], status: 'unsupported' },
  system_version: { value: '1.4.3', status: 'unsupported' },
  metric_db_driver: { value: 'sqlite', status: 'unsupported' },
  metric_db_dsn: { value: './data/metrics.db', status: 'unsupported' },
  metric_table_prefix: { value: 'metric_', status: 'unsupported' },
  metric_max_open_conns: { value: 25, status: 'unsupported' },
  metric_max_idle_conns: { value: 5, status: 'unsupported' },
  metric_rollup_minute_retention_minutes: { value: 600, status: 'unsupported' },
  metric_rollup_five_minute_retention_minutes: { value: 3000, status: 'unsupported' },
  metric_rollup_hour_retention_hours: { value: 600, status: 'unsupported' },
  allow_cors: { value: true, status: 'unsupported' },
  record_enabled: { value: true, status: 'unsupported' },
  record_preserve_time: { value: 720, status: 'unsupported' },
  ping_record_preserve_time: { value: 24, status: 'unsupported' },
  telegram_enabled: { value: false, status: 'supported' },
  telegram_bot_token: { value: '123:abc', status: 'supported' },
  telegram_chat_id: { value: '42', status: 'supported' },
  telegram_endpoint: { value: 'https://api.telegram.org/bot', status: 'supported' },
  o_auth_client_id: { value: 'cid', status: 'unsupported' },
  o_auth_client_secret: { value: 'csecret', status: 'unsupported' },
};

describe('settings: every key a Komari admin UI reads round-trips, and what komari-ts ignores is said', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => ({ s, cookie } = await startWithAdmin()));
  after(() => s.dispose());

  it('the test covers every typed setting', () => {
    assert.deepEqual(Object.keys(typedValues).sort(), Object.keys(settingDefinitions).sort());
  });

  it('POST with only honoured keys keeps Komari\'s answer: no data (REST) and no result (RPC)', async () => {
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { sitename: 'A', telegram_chat_id: '1' } });
    assert.deepEqual([res.status, res.json], [200, { status: 'success', message: '' }]);
    const r = await rpc(s.url, 'admin:editSettings', { description: 'B' }, { cookie });
    assert.deepEqual(r, { jsonrpc: '2.0', id: 1 });
  });

  it('every key is stored and read back as sent; the answer names the keys komari-ts will not act on', async () => {
    const body: Record<string, unknown> = { ...typedValues, CreatedAt: '2025-06-01T00:00:00Z', id: 1 };
    for (const [k, v] of Object.entries(komariOnly)) body[k] = v.value;
    const res = await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body });
    assert.equal(res.status, 200, res.text);
    const expected = [...Object.entries(komariOnly).filter(([, v]) => v.status === 'unsupported').map(([k]) => k), 'CreatedAt', 'id'];
    assert.deepEqual([...res.json.data.unsupported_keys].sort(), expected.sort());

    const got = (await http(s.url, '/api/admin/settings/', { cookie })).json.data;
    for (const [k, v] of Object.entries(body)) assert.deepEqual(got[k], v, k);
    const viaRpc = (await rpc(s.url, 'admin:getSettings', undefined, { cookie })).result;
    assert.deepEqual(viaRpc, got);
  });

  it('the RPC edit answers the same unsupported_keys', async () => {
    const r = await rpc(s.url, 'admin:editSettings', { metric_db_dsn: 'x.db', sitename: 'C', low_resource_mode: true }, { cookie });
    assert.deepEqual(r.result, { unsupported_keys: ['metric_db_dsn', 'low_resource_mode'] });
    const got = (await http(s.url, '/api/admin/settings/', { cookie })).json.data;
    assert.equal(got.metric_db_dsn, 'x.db');
    assert.equal('low_resource_mode' in got, false, 'dropped as Komari drops it');
  });

  it('GET /api/admin/settings/support: every Komari key and every stored key with its status', async () => {
    const res = await http(s.url, '/api/admin/settings/support', { cookie });
    assert.equal(res.status, 200);
    const map = res.json.data;
    for (const [k, v] of Object.entries(komariOnly)) assert.equal(map[k]?.status, v.status, k);
    for (const k of Object.keys(typedValues)) {
      const want = ['script_domain', 'base_scripts_url', 'eula_accepted'].includes(k) ? 'stored' : 'supported';
      assert.equal(map[k]?.status, want, k);
    }
    assert.deepEqual(map.CreatedAt, { status: 'unknown', note: 'not a Komari setting; stored as sent' });
    assert.equal(map.low_resource_mode.status, 'dropped');
    assert.match(map.metric_rollup_hour_retention_hours.note, /history_retention/);
    assert.deepEqual((await rpc(s.url, 'admin:getSettingsSupport', undefined, { cookie })).result, map);
  });

  it('a known key of the wrong type is refused and nothing of the edit is stored', async () => {
    const res = await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { sitename: 'never', geo_ip_enabled: 'yes', metric_db_dsn: 'y.db' } });
    assert.deepEqual([res.status, res.json.message], [400, 'geo_ip_enabled must be a boolean']);
    const got = (await http(s.url, '/api/admin/settings/', { cookie })).json.data;
    assert.deepEqual([got.sitename, got.metric_db_dsn], ['C', 'x.db']);
  });
});
