import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type WebSocket from 'ws';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';
import { ask, openWs, upgradeStatus } from './helpers/ws.ts';

let s: TestServer;
let cookie: string;
let wsUrl: string;
/** Origin equal to the Host the client sends: what a browser on the site itself sends. */
let sameOrigin: string;
const sockets: WebSocket[] = [];

async function open(headers: Record<string, string> = { origin: sameOrigin }, url = wsUrl): Promise<WebSocket> {
  const ws = await openWs(url, headers);
  sockets.push(ws);
  return ws;
}

function call(ws: WebSocket, method: string, params?: unknown, id: unknown = 1): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return ask(ws, JSON.stringify({ jsonrpc: '2.0', method, params, id }));
}

async function setSettings(body: Record<string, unknown>): Promise<void> {
  const res = await http(s.url, '/api/admin/settings', { method: 'POST', body, cookie });
  assert.equal(res.status, 200, res.text);
}

/** Collects the next `n` messages, parsed. */
function nextMessages(ws: WebSocket, n: number): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve) => {
    const got: unknown[] = [];
    const onMessage = (data: WebSocket.RawData) => {
      got.push(JSON.parse(data.toString()));
      if (got.length === n) {
        ws.off('message', onMessage);
        resolve(got);
      }
    };
    ws.on('message', onMessage);
  });
}

before(async () => {
  s = await startTestServer();
  cookie = await s.login();
  wsUrl = `${s.url.replace(/^http/, 'ws')}/api/rpc2`;
  sameOrigin = s.url;
});
after(async () => {
  for (const ws of sockets) ws.terminate();
  await s.dispose();
});

describe('GET /api/rpc2 without an upgrade', () => {
  it('answers 400 {"status":"error","error":"Failed to upgrade to WebSocket.require websocket upgrade"}', async () => {
    const res = await http(s.url, '/api/rpc2');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', error: 'Failed to upgrade to WebSocket.require websocket upgrade' });
  });
});

describe('WebSocket origin check on /api/rpc2 (public-api.md §1.7)', () => {
  const other = 'http://other.example';

  it('refuses an upgrade with neither Origin nor ?token= (403)', async () => {
    assert.equal(await upgradeStatus(wsUrl), 403);
  });

  it('opens when the Origin host equals the Host', async () => {
    assert.equal(await upgradeStatus(wsUrl, { origin: sameOrigin }), 101);
  });

  it('opens without Origin when any non-empty ?token= is given (not validated here), as a guest', async () => {
    const ws = await open({}, `${wsUrl}?token=not-a-real-token`);
    assert.equal((await call(ws, 'common:getMe')).result.logged_in, false);
  });

  it('opens without Origin for a valid API key', async () => {
    await setSettings({ api_key: 'rpc2ws-o32PDudvYNlRAbZnH5V_L2anfGDf' });
    const ws = await open({ authorization: 'Bearer rpc2ws-o32PDudvYNlRAbZnH5V_L2anfGDf' });
    assert.equal((await call(ws, 'common:getMe')).result.username, 'api_key');
  });

  it('refuses another origin, even CORS-allowed, until it is in ws_allowed_origins', async () => {
    await setSettings({ cors_allowed_origins: other });
    try {
      assert.equal(await upgradeStatus(wsUrl, { origin: other }), 403);
      await setSettings({ ws_allowed_origins: `https://nope.example,\n${other}` });
      assert.equal(await upgradeStatus(wsUrl, { origin: other }), 101);
    } finally {
      await setSettings({ cors_allowed_origins: '', ws_allowed_origins: '' });
    }
  });

  it('opens for any origin the API CORS check lets through once ws_origin_check_enabled is false', async () => {
    await setSettings({ cors_allowed_origins: other });
    try {
      assert.equal(await upgradeStatus(wsUrl, { origin: other }), 403);
      await setSettings({ ws_origin_check_enabled: false });
      assert.equal(await upgradeStatus(wsUrl, { origin: other }), 101);
      assert.equal(await upgradeStatus(wsUrl), 101, 'no Origin and no token passes too');
    } finally {
      await setSettings({ cors_allowed_origins: '', ws_origin_check_enabled: true });
    }
  });
});

describe('JSON-RPC over the WebSocket (rpc2.md §1)', () => {
  it('answers rpc.ping like POST does', { timeout: 5000 }, async () => {
    const ws = await open();
    assert.deepEqual(await call(ws, 'rpc.ping'), { jsonrpc: '2.0', id: 1, result: 'pong' });
  });

  it('takes the identity from the session cookie and looks the session up again on every call', { timeout: 5000 }, async () => {
    const ws = await open({ origin: sameOrigin, cookie: `session_token=${cookie}` });
    const list = await call(ws, 'admin:listClients');
    assert.ok(Array.isArray(list.result), JSON.stringify(list));
    // Ending every session demotes the open socket too (issue 12: it kept its rights before).
    assert.deepEqual(await call(ws, 'admin:deleteAllSessions', undefined, 2), { jsonrpc: '2.0', id: 2 });
    assert.deepEqual((await rpc(s.url, 'admin:listClients', undefined, { cookie })).error?.code, -32041);
    assert.deepEqual((await call(ws, 'admin:listClients', undefined, 3)).error?.code, -32041);
    cookie = await s.login();
  });

  it('a guest socket is refused admin methods', { timeout: 5000 }, async () => {
    const ws = await open();
    assert.deepEqual((await call(ws, 'admin:listClients')).error, { code: -32041, message: 'Permission denied' });
  });

  it('an agent socket (?token=, no Origin) is the node', { timeout: 5000 }, async () => {
    const add = await http(s.url, '/api/admin/client/add', { method: 'POST', body: { name: 'ws-agent' }, cookie });
    const ws = await open({}, `${wsUrl}?token=${add.json.token}`);
    assert.equal((await call(ws, 'common:getMe')).result.username, 'client');
  });

  it('answers each message exactly once, in arrival order, notifications included', { timeout: 5000 }, async () => {
    const ws = await open({ origin: sameOrigin, cookie: `session_token=${cookie}` });
    const replies = nextMessages(ws, 6);
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'admin:listClients', id: 1 }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'rpc.ping', id: 2 }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'admin:getSettings', id: 3 }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'rpc.version', id: 4 }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'rpc.ping' }));
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'common:nope', id: 6 }));
    const got = await replies;
    assert.deepEqual(got.map((r) => r.id), [1, 2, 3, 4, undefined, 6]);
    assert.deepEqual(got[4], { jsonrpc: '2.0', result: 'pong' });
    assert.equal(got[5].error.code, -32601);
  });

  it('non-JSON text → -32600 "bad request: …" without id, and the socket stays open', { timeout: 5000 }, async () => {
    const ws = await open();
    const reply = await ask(ws, 'this is not json');
    assert.deepEqual(Object.keys(reply).sort(), ['error', 'jsonrpc']);
    assert.equal(reply.error.code, -32600);
    assert.match(reply.error.message, /^bad request: /);
    assert.equal((await call(ws, 'rpc.ping')).result, 'pong');
  });

  it('an empty text message is a decode error reply, not a close', { timeout: 5000 }, async () => {
    const ws = await open();
    assert.equal((await ask(ws, '')).error.code, -32600);
    assert.equal((await call(ws, 'rpc.ping')).result, 'pong');
  });

  it('a batch array or a non-object → the same -32600 "bad request" reply; batches are not run', { timeout: 5000 }, async () => {
    const ws = await open();
    for (const text of ['[{"jsonrpc":"2.0","method":"rpc.ping","id":1}]', '42', 'null']) {
      const reply = await ask(ws, text);
      assert.equal(reply.error?.code, -32600, text);
      assert.match(reply.error.message, /^bad request: /);
      assert.ok(!('result' in reply));
    }
    assert.equal((await call(ws, 'rpc.ping')).result, 'pong');
  });

  it('an invalid version → error reply carrying the request id', { timeout: 5000 }, async () => {
    const ws = await open();
    const reply = await ask(ws, '{"jsonrpc":"1.0","method":"rpc.ping","id":9}');
    assert.deepEqual(reply, { jsonrpc: '2.0', id: 9, error: { code: -32600, message: 'invalid jsonrpc version' } });
    const blank = await ask(ws, '{"jsonrpc":"2.0","method":"","id":"b"}');
    assert.deepEqual(blank, { jsonrpc: '2.0', id: 'b', error: { code: -32600, message: 'method required' } });
  });

  it('a frame over 1 MiB closes the socket with 1009; a fresh socket works', { timeout: 5000 }, async () => {
    const ws = await open();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => {}); // the server's close may surface as a client-side error first
    ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'rpc.ping', params: { pad: 'x'.repeat(1024 * 1024 + 10) }, id: 1 }));
    assert.equal(await closed, 1009);
    assert.equal((await call(await open(), 'rpc.ping')).result, 'pong');
  });
});
