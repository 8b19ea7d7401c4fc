import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestReport, parseReport } from '../src/agents/ingest.ts';
import { addNode, feedKeys, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';
import { ask, openWs, upgradeStatus } from './helpers/ws.ts';

/** A report with the figures the seed shows for /api/recent (the ones the tests below check). */
const seedReport = (over: Record<string, unknown> = {}) =>
  sampleReport({
    cpu: { usage: 3.96 },
    ram: { total: 479670272, used: 179847168 },
    load: { load1: 0.07, load5: 0.04, load15: 0.01 },
    disk: { total: 10524137472, used: 6860439552 },
    network: { up: 318, down: 124, totalUp: 9935855576, totalDown: 32250973581 },
    connections: { tcp: 59, udp: 4 },
    process: 80,
    ...over,
  });

describe('live view: /api/clients, /api/recent and the latest-status methods', () => {
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  let s: TestServer;
  let cookie: string;
  let shown: string;
  let hidden: string;
  const feedUrl = () => `${s.url.replace(/^http/, 'ws')}/api/clients`;
  const origin = () => ({ Origin: s.url });

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    shown = (await addNode(s, cookie, 'shown')).uuid;
    hidden = (await addNode(s, cookie, 'hidden')).uuid;
    await http(s.url, `/api/admin/client/${hidden}/edit`, { method: 'POST', cookie, body: { hidden: true } });
    ingestReport(s.ctx, shown, parseReport(seedReport()), { presence: true });
    ingestReport(s.ctx, hidden, parseReport(seedReport({ cpu: { usage: 0 } })), { presence: true });
  });
  after(() => s.dispose());

  it('`get` answers the seed shape: online uuids and the latest report per node, without uuid', async () => {
    const ws = await openWs(feedUrl(), origin());
    const msg = await ask(ws, 'get');
    ws.close();
    assert.equal(msg.status, 'success');
    assert.deepEqual(msg.data.online, [shown]);
    assert.deepEqual(Object.keys(msg.data.data), [shown]);
    const r = msg.data.data[shown];
    assert.deepEqual(Object.keys(r), feedKeys);
    assert.equal(r.uuid, undefined);
    assert.deepEqual(r.network, { up: 318, down: 124, totalUp: 9935855576, totalDown: 32250973581 });
    assert.equal(r.updated_at, '2026-11-24T10:00:00Z');
  });

  it('an admin session sees hidden nodes, with cpu.usage 0 shown as 0.01; an API key does not', async () => {
    const admin = await openWs(feedUrl(), { ...origin(), Cookie: `session_token=${cookie}` });
    const msg = await ask(admin, 'get');
    admin.close();
    assert.deepEqual([...msg.data.online].sort(), [shown, hidden].sort());
    assert.deepEqual(msg.data.data[hidden].cpu, { usage: 0.01 });
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { api_key: 'feed-k7oJaqrsAHgye8gK7zK-LFuNs3aM' } });
    const keyed = await openWs(feedUrl(), { ...origin(), Authorization: 'Bearer feed-key-123456' });
    const viaKey = await ask(keyed, 'get');
    keyed.close();
    assert.deepEqual(Object.keys(viaKey.data.data), [shown]);
  });

  it('`get <uuid>` narrows both lists; anything else is "Invalid message" and the socket stays open', async () => {
    const ws = await openWs(feedUrl(), origin());
    const one = await ask(ws, `get  ${shown} `);
    assert.deepEqual(one.data.online, [shown]);
    const none = await ask(ws, 'get 00000000-0000-0000-0000-000000000000');
    assert.deepEqual(none.data, { online: [], data: {} });
    for (const bad of ['GET', 'get\n', '{"get":1}']) {
      assert.deepEqual(await ask(ws, bad), { status: 'error', error: 'Invalid message' });
    }
    assert.equal((await ask(ws, 'get')).status, 'success');
    ws.close();
  });

  it('a plain GET is 400 Require WebSocket upgrade; on a private site a guest cannot upgrade', async () => {
    const res = await http(s.url, '/api/clients');
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', error: 'Require WebSocket upgrade' });
    await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: true } });
    try {
      assert.equal(await upgradeStatus(feedUrl(), origin()), 401);
    } finally {
      await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: false } });
    }
  });

  it('/api/recent/:uuid keeps one minute of reports, oldest first, each with uuid', async () => {
    clock.advance(30_000);
    ingestReport(s.ctx, shown, parseReport(seedReport({ cpu: { usage: 0 }, process: 81 })), { presence: true });
    let res = await http(s.url, `/api/recent/${shown}`);
    assert.equal(res.status, 200);
    assert.equal(res.json.data.length, 2);
    assert.deepEqual(Object.keys(res.json.data[0]), ['uuid', ...feedKeys]);
    assert.deepEqual(res.json.data[1].cpu, {}, 'a zero cpu.usage is omitted in /api/recent');
    assert.deepEqual(res.json.data.map((r: { process: number }) => r.process), [80, 81]);
    clock.advance(31_000);
    res = await http(s.url, `/api/recent/${shown}`);
    assert.deepEqual(res.json.data.map((r: { process: number }) => r.process), [81]);
  });

  it('/api/recent answers [] for an unknown uuid and 400 UUID is required for a guest asking for a hidden node', async () => {
    assert.deepEqual((await http(s.url, '/api/recent/nope')).json, { status: 'success', message: '', data: [] });
    const res = await http(s.url, `/api/recent/${hidden}`);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', message: 'UUID is required' });
    assert.equal((await http(s.url, `/api/recent/${hidden}`, { cookie })).status, 200);
  });

  it('common:getNodesLatestStatus: one node as an object, connections = tcp + udp, hidden only for admins', async () => {
    const one = await rpc(s.url, 'common:getNodesLatestStatus', { uuid: shown });
    assert.equal(one.result.client, shown);
    assert.equal(one.result.connections, 63);
    assert.equal(one.result.online, true);
    assert.equal(one.result.load5, 0.04);
    assert.deepEqual(one.result.ping, {});
    const guest = await rpc(s.url, 'common:getNodesLatestStatus', {});
    assert.deepEqual(Object.keys(guest.result), [shown]);
    const admin = await rpc(s.url, 'common:getNodesLatestStatus', { uuids: [hidden] }, { cookie });
    assert.deepEqual(Object.keys(admin.result), [hidden]);
    const missing = await rpc(s.url, 'common:getNodesLatestStatus', { uuid: hidden });
    assert.equal(missing.error?.code, -32602);
    assert.equal(missing.error?.message, 'Node not found');
  });

  it('common:getNodeRecentStatus gives flat rows with real totals', async () => {
    const res = await rpc(s.url, 'common:getNodeRecentStatus', [shown]);
    assert.equal(res.result.count, res.result.records.length);
    const row = res.result.records.at(-1);
    assert.equal(row.ram_total, 479670272);
    assert.equal(row.disk, 6860439552);
    assert.equal(row.net_in, 124);
    const guest = await rpc(s.url, 'common:getNodeRecentStatus', { uuid: hidden });
    assert.equal(guest.error?.message, 'UUID is required');
  });

  it('two reports in the same millisecond get distinct, increasing times', async () => {
    const a = ingestReport(s.ctx, shown, parseReport(seedReport()), { presence: true });
    const b = ingestReport(s.ctx, shown, parseReport(seedReport()), { presence: true });
    assert.equal(b.at, a.at + 1);
  });

  it('an invalid report is refused with Komari’s text and changes nothing', () => {
    const before = s.ctx.live.latest(shown);
    assert.throws(() => ingestReport(s.ctx, shown, parseReport(seedReport({ cpu: { usage: 101 } })), { presence: true }), /CPU.Usage must be between 0 and 100/);
    assert.throws(() => parseReport({ ram: { used: 'lots' } }), /ram.used/);
    // the latest report is rebuilt on each call (live-view-latest.test.ts): the same report, not the same object
    assert.deepEqual(s.ctx.live.latest(shown), before);
  });

  it('a POST-style node goes offline when its 35 s presence lapses, and removal forgets it', async () => {
    clock.advance(36_000);
    s.ctx.live.sweep();
    const ws = await openWs(feedUrl(), origin());
    const msg = await ask(ws, 'get');
    assert.deepEqual(msg.data.online, []);
    assert.ok(msg.data.data[shown], 'an offline node keeps its last report');
    await http(s.url, `/api/admin/client/${shown}/remove`, { method: 'POST', cookie });
    const after = await ask(ws, 'get');
    ws.close();
    assert.equal(after.data.data[shown], undefined);
  });
});
