import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';

const defaults = {
  terminalOptions: {
    cursorBlink: true,
    convertEol: true,
    macOptionIsMeta: true,
    fontFamily: "'Cascadia Mono', 'Noto Sans SC', monospace",
    fontSize: 16,
    scrollback: 5000,
    theme: null,
  },
  terminalPadding: 16,
  transparentBackground: false,
  customCss: '',
};

describe('xterm.js settings (admin-api.md §3.6)', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => {
    ({ s, cookie } = await startWithAdmin());
  });
  after(() => s?.dispose());

  const get = () => http(s.url, '/api/admin/settings/xtermjs', { cookie });
  const set = (body: unknown) => http(s.url, '/api/admin/settings/xtermjs', { method: 'POST', cookie, body });
  const stored = async () => (await http(s.url, '/api/admin/settings/', { cookie })).json.data.xtermjs_settings;
  const latestAudit = async () => (await http(s.url, '/api/admin/logs?limit=1', { cookie })).json.data.logs[0];

  it('GET answers Komari’s defaults and stores them on first read', async () => {
    assert.equal(await stored(), undefined);
    const res = await get();
    assert.deepEqual([res.status, res.json], [200, { status: 'success', message: '', data: defaults }]);
    assert.deepEqual(await stored(), defaults);
  });

  it('POST normalises as Komari: missing booleans true, blank font, small size, negative scrollback and padding → defaults', async () => {
    const res = await set({
      terminalOptions: { cursorBlink: false, fontFamily: '   ', fontSize: 0, scrollback: -3, unknownOption: 1 },
      terminalPadding: -1,
      transparentBackground: true,
      customCss: '.xterm { opacity: .9 }',
      unknownKey: 'dropped',
    });
    const expected = {
      terminalOptions: { ...defaults.terminalOptions, cursorBlink: false },
      terminalPadding: 16,
      transparentBackground: true,
      customCss: '.xterm { opacity: .9 }',
    };
    assert.deepEqual([res.status, res.json], [200, { status: 'success', message: 'settings saved', data: expected }]);
    assert.deepEqual((await get()).json.data, expected);
    assert.deepEqual(await stored(), expected);
    assert.deepEqual([(await latestAudit()).message, (await latestAudit()).msg_type], ['update xtermjs settings', 'info']);
  });

  it('the theme keeps only xterm colours, trimmed, without empty ones; an all-empty theme is null', async () => {
    const res = await set({
      terminalOptions: {
        fontFamily: ' Fira Code ', fontSize: 13, scrollback: 0,
        theme: { foreground: ' #eee ', background: '', brightWhite: '#fff', notAColor: '#000', extendedAnsi: [' #111 ', '#222'] },
      },
      terminalPadding: 0,
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data.terminalOptions, {
      ...defaults.terminalOptions,
      fontFamily: 'Fira Code', fontSize: 13, scrollback: 0,
      theme: { foreground: '#eee', brightWhite: '#fff', extendedAnsi: ['#111', '#222'] },
    });
    assert.equal(res.json.data.terminalPadding, 0);
    const empty = await set({ terminalOptions: { theme: { foreground: '  ', extendedAnsi: [] } } });
    assert.equal(empty.json.data.terminalOptions.theme, null);
  });

  it('without terminalOptions the whole default block is used', async () => {
    const res = await set({ customCss: 'x' });
    assert.deepEqual(res.json.data, { ...defaults, customCss: 'x' });
  });

  it('bad input → 400 with Komari’s message, and nothing changes', async () => {
    await set({ terminalOptions: { fontSize: 20 } });
    const before = await stored();
    const auditBefore = (await latestAudit()).id;
    const cases: [unknown, string][] = [
      [{ terminalOptions: { theme: { extendedAnsi: ['#111', '  '] } } }, 'Invalid xtermjs settings: extendedAnsi must not contain empty strings'],
      [{ terminalOptions: { fontSize: 'big' } }, 'Invalid or missing request body'],
      [{ terminalOptions: { fontSize: 12.5 } }, 'Invalid or missing request body'],
      [{ terminalPadding: '16' }, 'Invalid or missing request body'],
      [{ terminalOptions: { theme: { foreground: 1 } } }, 'Invalid or missing request body'],
      ['{not json', 'Invalid or missing request body'],
    ];
    for (const [body, message] of cases) {
      const res = await set(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.status, 'error');
      assert.ok(res.json.message.startsWith(message), `${res.json.message} starts with ${message}`);
    }
    assert.deepEqual(await stored(), before);
    assert.equal((await latestAudit()).id, auditBefore);
  });

  it('an unreadable stored value is replaced by the defaults on read', async () => {
    await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { xtermjs_settings: { terminalOptions: 'nonsense' } } });
    assert.deepEqual((await get()).json.data, defaults);
    assert.deepEqual(await stored(), defaults);
  });

  it('over RPC: the same methods, positional params in Komari’s field order', async () => {
    const got = await rpc(s.url, 'admin:getXtermjsSettings', {}, { cookie });
    assert.deepEqual(got.result, defaults);
    const put = await rpc(s.url, 'admin:setXtermjsSettings', [{ fontSize: 18 }, 4], { cookie });
    assert.equal(put.result.terminalOptions.fontSize, 18);
    assert.equal(put.result.terminalPadding, 4);
    const bad = await rpc(s.url, 'admin:setXtermjsSettings', { terminalOptions: { theme: { extendedAnsi: [''] } } }, { cookie });
    assert.deepEqual(bad.error, { code: -32602, message: 'Invalid xtermjs settings: extendedAnsi must not contain empty strings' });
  });
});
