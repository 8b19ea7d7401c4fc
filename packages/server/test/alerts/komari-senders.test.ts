import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, rpc, startWithAdmin, type TestServer } from '../helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// Komari's message-sender settings (admin-api.md §3.5, notifications.md §2): the schema map, the
// zero-valued rows from boot, saving a config, and every refusal leaving the stored rows alone.

/** Komari's Item without the help text (ours is worded differently). */
const item = (name: string, required: boolean, type = 'string', d = '', options = '') => ({ name, required, type, options, default: d });
const withoutHelp = (items: any[]) => items.map(({ name, required, type, options, default: d }) => ({ name, required, type, options, default: d }));

const serverChan3 = 'Server酱³';
const serverChanTurbo = 'Server酱Turbo';

describe('Komari’s message senders (GET/POST /api/admin/settings/message-sender)', () => {
  let s: TestServer;
  let cookie: string;

  const get = (provider?: string) =>
    http(s.url, `/api/admin/settings/message-sender${provider === undefined ? '' : `?provider=${encodeURIComponent(provider)}`}`, { cookie });
  const set = (body: unknown) => http(s.url, '/api/admin/settings/message-sender', { method: 'POST', cookie, body });
  /** Every sender's stored row, to show a refused save changed none of them. */
  const allRows = async () => {
    const out: Record<string, unknown> = {};
    for (const name of ['telegram', 'email', 'webhook', 'bark', serverChan3, serverChanTurbo, 'empty']) out[name] = (await get(name)).json.data;
    return out;
  };

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
  });
  after(() => s.dispose());

  it('without a provider: a name → Item[] map of exactly Komari’s senders, in Komari’s field order and types', async () => {
    const res = await get();
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'success');
    const data = res.json.data;
    assert.deepEqual(Object.keys(data).sort(), ['Server酱Turbo', 'Server酱³', 'bark', 'email', 'empty', 'telegram', 'webhook'].sort());
    for (const items of Object.values(data) as any[][]) {
      for (const i of items) assert.deepEqual(Object.keys(i), ['name', 'required', 'type', 'options', 'default', 'help']);
    }
    assert.deepEqual(withoutHelp(data.telegram), [
      item('bot_token', true), item('chat_id', true), item('message_thread_id', false), item('endpoint', true, 'string', 'https://api.telegram.org/bot'),
    ]);
    assert.deepEqual(withoutHelp(data.email).filter((i) => i.name !== 'use_login_auth'), [
      item('host', true), item('port', true, 'int', '587'), item('username', false), item('password', false),
      item('sender', false), item('receiver', false), item('use_ssl', false, 'bool', 'false'),
    ]);
    assert.deepEqual(data.email.map((i: any) => i.name), ['host', 'port', 'username', 'password', 'sender', 'receiver', 'use_ssl', 'use_login_auth']);
    assert.deepEqual(withoutHelp(data.webhook), [
      item('url', true), item('method', false, 'option', 'GET', 'POST,GET'), item('content_type', false, 'string', 'application/json'),
      item('headers', false), item('body', false, 'string', '{"message":"{{message}}","title":"{{title}}"}'),
      item('username', false), item('password', false),
    ]);
    assert.deepEqual(withoutHelp(data.bark), [
      item('server_url', true, 'string', 'https://api.day.app'), item('device_key', true), item('icon', false),
      item('level', false, 'option', 'timeSensitive', 'active,timeSensitive,passive,critical'),
    ]);
    assert.deepEqual(withoutHelp(data[serverChan3]), [item('api_url', true), item('tags', false)]);
    assert.deepEqual(withoutHelp(data[serverChanTurbo]), [item('api_url', true), item('channel', false), item('noip', false), item('openid', false)]);
    assert.deepEqual(data.empty, []);
  });

  // Komari: UseLoginAuth bool `json:"use_login_auth" default:"false"`.
  it('email’s use_login_auth is a bool defaulting to "false"', async () => {
    const useLogin = (await get()).json.data.email.find((i: any) => i.name === 'use_login_auth');
    assert.deepEqual({ type: useLogin.type, default: useLogin.default }, { type: 'bool', default: 'false' });
  });

  it('?provider= (URL-encoded non-ASCII name) answers {name, addition} with the zero-valued row created at boot', async () => {
    const sc = await http(s.url, '/api/admin/settings/message-sender?provider=Server%E9%85%B1%C2%B3', { cookie });
    assert.equal(sc.status, 200, sc.text);
    assert.deepEqual(sc.json, { status: 'success', message: '', data: { name: serverChan3, addition: JSON.stringify({ api_url: '', tags: '' }) } });
    const rows = await allRows();
    assert.deepEqual(JSON.parse((rows.email as any).addition), { host: '', port: 0, username: '', password: '', sender: '', receiver: '', use_ssl: false, use_login_auth: false });
    assert.deepEqual(JSON.parse((rows.telegram as any).addition), { bot_token: '', chat_id: '', message_thread_id: '', endpoint: '' });
    assert.deepEqual(JSON.parse((rows[serverChanTurbo] as any).addition), { api_url: '', channel: '', noip: '', openid: '' });
    assert.deepEqual(rows.empty, { name: 'empty', addition: '{}' });
  });

  it('POST saves (standard envelope, Komari’s message) and the row reads back; unknown keys are dropped', async () => {
    const addition = JSON.stringify({ host: 'smtp.example.com', port: 465, username: 'u', password: 'p', use_ssl: true, extra: 'x' });
    const res = await set({ name: 'email', addition });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '', data: { message: 'Message sender provider set successfully' } });
    const back = await get('email');
    assert.deepEqual(back.json.data.name, 'email');
    assert.deepEqual(JSON.parse(back.json.data.addition), {
      host: 'smtp.example.com', port: 465, username: 'u', password: 'p', sender: '', receiver: '', use_ssl: true, use_login_auth: false,
    });
    const sc = await set({ name: serverChan3, addition: JSON.stringify({ api_url: 'https://1.push.ft07.com/send/k.send', tags: 'a|b' }) });
    assert.equal(sc.status, 200, sc.text);
    assert.deepEqual(JSON.parse((await get(serverChan3)).json.data.addition), { api_url: 'https://1.push.ft07.com/send/k.send', tags: 'a|b' });
  });

  it('unknown sender on POST → 404 "Provider not found: <name>"; on GET → 404 "Provider not found: record not found"', async () => {
    const before = await allRows();
    const post = await set({ name: 'Javascript2', addition: '{}' });
    assert.equal(post.status, 404);
    assert.deepEqual(post.json, { status: 'error', message: 'Provider not found: Javascript2' });
    const g = await get('myspace');
    assert.equal(g.status, 404);
    assert.deepEqual(g.json, { status: 'error', message: 'Provider not found: record not found' });
    // Names are exact: a different case is another (unknown) name.
    assert.equal((await get('Telegram')).status, 404);
    assert.deepEqual(await allRows(), before);
  });

  it('bad saves are 400 with Komari’s texts, the wrong-typed field named, and nothing saved', async () => {
    const before = await allRows();
    const missing = await set({ addition: '{}' });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json, { status: 'error', message: 'Provider name is required' });
    assert.equal((await set({ name: '', addition: '{}' })).json.message, 'Provider name is required');

    const asObject = await set({ name: 'telegram', addition: { bot_token: 'x' } });
    assert.equal(asObject.status, 400);
    assert.match(asObject.json.message, /^Invalid configuration: /);
    for (const addition of ['{not json', '[1]', '"str"']) {
      const res = await set({ name: 'telegram', addition });
      assert.equal(res.status, 400, addition);
      assert.match(res.json.message, /^Invalid configuration: /, addition);
    }

    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['email', { host: 'h', port: '587' }, 'port'],
      ['email', { use_ssl: 'yes' }, 'use_ssl'],
      // Komari's port is a Go int: 1.5 fails its decode.
      ['email', { host: 'h', port: 1.5 }, 'port'],
      ['telegram', { bot_token: 12345 }, 'bot_token'],
      ['webhook', { url: 'http://x', method: 'PUT' }, 'method'],
      ['bark', { level: 'loud' }, 'level'],
      [serverChanTurbo, { api_url: ['x'] }, 'api_url'],
    ];
    for (const [name, config, field] of cases) {
      const res = await set({ name, addition: JSON.stringify(config) });
      assert.equal(res.status, 400, `${name} ${JSON.stringify(config)}`);
      assert.equal(res.json.status, 'error');
      assert.match(res.json.message, new RegExp(`^Invalid configuration: ${field}\\b`), res.json.message);
    }
    assert.deepEqual(await allRows(), before);
  });

  it('the same methods over /api/rpc2: admin:getMessageSenderProvider and admin:setMessageSenderProvider', async () => {
    const schemas = await rpc(s.url, 'admin:getMessageSenderProvider', {}, { cookie });
    assert.deepEqual(Object.keys(schemas.result).length, 7);
    const one = await rpc(s.url, 'admin:getMessageSenderProvider', { provider: 'bark' }, { cookie });
    assert.deepEqual(one.result, { name: 'bark', addition: JSON.stringify({ server_url: '', device_key: '', icon: '', level: '' }) });
    const positional = await rpc(s.url, 'admin:getMessageSenderProvider', ['bark'], { cookie });
    assert.deepEqual(positional.result, one.result);

    const saved = await rpc(s.url, 'admin:setMessageSenderProvider', { name: 'bark', addition: JSON.stringify({ device_key: 'k', level: 'passive' }) }, { cookie });
    assert.deepEqual(saved.result, { message: 'Message sender provider set successfully' });
    assert.deepEqual(JSON.parse((await get('bark')).json.data.addition), { server_url: '', device_key: 'k', icon: '', level: 'passive' });

    const unknown = await rpc(s.url, 'admin:getMessageSenderProvider', { provider: 'nope' }, { cookie });
    assert.deepEqual(unknown.error, { code: -32044, message: 'Provider not found: record not found' });
    const noName = await rpc(s.url, 'admin:setMessageSenderProvider', { addition: '{}' }, { cookie });
    assert.deepEqual(noName.error, { code: -32602, message: 'Provider name is required' });
    const badType = await rpc(s.url, 'admin:setMessageSenderProvider', { name: 'bark', addition: '{"device_key":1}' }, { cookie });
    assert.equal(badType.error?.code, -32602);
    assert.match(badType.error!.message, /^Invalid configuration: device_key/);
    assert.deepEqual(JSON.parse((await get('bark')).json.data.addition).device_key, 'k');
  });

  it('guests get 401 and see no config', async () => {
    const res = await http(s.url, '/api/admin/settings/message-sender?provider=email');
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
    const post = await http(s.url, '/api/admin/settings/message-sender', { method: 'POST', body: { name: 'email', addition: '{}' } });
    assert.equal(post.status, 401);
    assert.equal(JSON.parse((await get('email')).json.data.addition).host, 'smtp.example.com');
  });
});
