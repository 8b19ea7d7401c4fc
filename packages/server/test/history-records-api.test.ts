import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestReport, parseReport } from '../src/agents/ingest.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

const minute = 60_000;

function report(i: number, gpu = false) {
  return {
    cpu: { usage: 10 + i },
    ram: { total: 4000, used: 1000 },
    swap: { total: 2000, used: 500 },
    disk: { total: 10_000, used: 2500 },
    load: { load1: 0.07, load5: 0, load15: 0 },
    network: { up: 5, down: 7, totalUp: 100 * i, totalDown: 200 * i },
    connections: { tcp: 59, udp: 4 },
    uptime: 1000 + i,
    process: 80,
    ...(gpu ? { gpu: { count: 1, average_usage: 40 + i, detailed_info: [] } } : {}),
  };
}

describe('/api/records/load and common:getRecords: parameters, visibility, shapes', () => {
  const clock = new ManualClock('2026-07-01T12:00:30Z');
  let s: TestServer;
  let admin: string;
  let shown: string;
  let hidden: string;
  let gpu: string;
  const load = (query: string, cookie?: string) => http(s.url, `/api/records/load?${query}`, { cookie });

  before(async () => {
    s = await startTestServer({ clock });
    admin = await s.login();
    const add = async (name: string) => (await http(s.url, '/api/admin/client/add', { method: 'POST', cookie: admin, body: { name } })).json.uuid as string;
    [shown, hidden, gpu] = [await add('shown'), await add('hidden'), await add('gpu')];
    await http(s.url, `/api/admin/client/${hidden}/edit`, { method: 'POST', cookie: admin, body: { hidden: true } });
    for (let i = 0; i < 5; i++) {
      for (const uuid of [shown, hidden]) ingestReport(s.ctx, uuid, parseReport(report(i)), { presence: false });
      ingestReport(s.ctx, gpu, parseReport(report(i, i % 2 === 0)), { presence: false });
      clock.advance(minute);
    }
  });
  after(() => s.dispose());

  it('each bad parameter gets Komari text and status, checked in Komari order', async () => {
    const cases: [string, number, string][] = [
      ['hours=4', 400, 'UUID is required'],
      [`uuid=${shown}&hours=1.5`, 400, 'Invalid hours parameter'],
      [`uuid=${shown}&hours=abc`, 400, 'Invalid hours parameter'],
      [`uuid=${shown}&hours=1e3`, 400, 'Invalid hours parameter'],
      [`uuid=${shown}&load_type=gpu`, 400, 'Invalid load_type parameter'],
      [`uuid=${shown}&hours=x&load_type=gpu`, 400, 'Invalid hours parameter'],
      [`uuid=${hidden}&hours=x`, 400, 'UUID is required'],
    ];
    for (const [query, status, message] of cases) {
      const res = await load(query);
      assert.equal(res.status, status, query);
      assert.deepEqual(res.json, { status: 'error', message }, query);
    }
    const negative = await load(`uuid=${shown}&hours=-1`);
    assert.equal(negative.status, 500);
    assert.match(negative.json.message, /^Failed to fetch records: /);
  });

  it('a guest asking for a hidden node gets UUID is required; an admin gets its data', async () => {
    assert.equal((await load(`uuid=${hidden}`)).status, 400);
    const res = await load(`uuid=${hidden}&hours=1`, admin);
    assert.equal(res.status, 200);
    assert.equal(res.json.data.count, 5);
  });

  it('an unknown uuid answers an empty result; hours=0 answers at most the current bucket', async () => {
    assert.deepEqual((await load('uuid=no-such-node')).json.data, { count: 0, has_gpu_data: false, records: [] });
    ingestReport(s.ctx, shown, parseReport(report(5)), { presence: false });
    const now = await load(`uuid=${shown}&hours=0`);
    assert.equal(now.json.data.count, 1);
    assert.equal(now.json.data.records[0].time, '2026-07-01T12:05:00Z');
  });

  it('the full record: bytes used, real totals, float32 load, TCP connections, has_gpu_data false', async () => {
    const res = await load(`uuid=${shown}&hours=1`);
    assert.equal(res.json.data.has_gpu_data, false);
    assert.equal(Object.hasOwn(res.json.data, 'gpu_devices'), false);
    assert.deepEqual(res.json.data.records[1], {
      client: shown, time: '2026-07-01T12:01:00Z', cpu: 11, gpu: 0, ram: 1000, ram_total: 4000, swap: 500, swap_total: 2000,
      load: 0.07, temp: 0, disk: 2500, disk_total: 10_000, net_in: 7, net_out: 5, net_total_up: 100, net_total_down: 200,
      traffic_up: 100, traffic_down: 200, process: 80, connections: 59, connections_udp: 4,
    });
  });

  it('GPU data in the window: has_gpu_data true, gpu averaged over the reports that carried it, gpu_devices {}', async () => {
    const { data } = (await load(`uuid=${gpu}&hours=1`)).json;
    assert.equal(data.has_gpu_data, true);
    assert.deepEqual(data.gpu_devices, {});
    assert.deepEqual(data.records.map((r: { gpu: number }) => r.gpu), [40, 0, 42, 0, 44]);
  });

  it('load_type projects each record with sorted keys, *_percent from the real totals and connections_tcp', async () => {
    const first = async (t: string) => {
      const { data } = (await load(`uuid=${shown}&hours=1&load_type=${t}`)).json;
      assert.equal(data.load_type, t);
      assert.equal(Object.hasOwn(data, 'has_gpu_data'), false);
      return data.records[0];
    };
    const base = { client: shown, time: '2026-07-01T12:00:00Z' };
    assert.deepEqual(await first('ram'), { ...base, ram: 1000, ram_percent: 25, ram_total: 4000 });
    assert.deepEqual(await first('disk'), { ...base, disk: 2500, disk_percent: 25, disk_total: 10_000 });
    assert.deepEqual(await first('connections'), { ...base, connections: 59, connections_tcp: 55, connections_udp: 4 });
    assert.deepEqual(await first('network'), { ...base, net_in: 7, net_out: 5, net_total_down: 0, net_total_up: 0 });
    assert.deepEqual(Object.keys(await first('cpu')), ['client', 'cpu', 'time']);
  });

  it('public:getRecordsByUUID over RPC takes strings; a number for hours counts as absent (default 4)', async () => {
    const r = await rpc(s.url, 'public:getRecordsByUUID', { uuid: shown, hours: 1.5 });
    assert.equal(r.result.count, 6);
    const bad = await rpc(s.url, 'public:getRecordsByUUID', [shown, 'gpu', '1']);
    assert.deepEqual(bad.error, { code: -32602, message: 'Invalid load_type parameter' });
  });

  it('common:getRecords load: grouped per visible node, from/to, hidden nodes left out for guests', async () => {
    const guest = await rpc(s.url, 'common:getRecords', { type: 'load', uuid: '', hours: 1 });
    assert.deepEqual(Object.keys(guest.result.records).sort(), [gpu, shown].sort());
    assert.equal(guest.result.count, 11);
    assert.equal(guest.result.to, '2026-07-01T12:05:30Z');
    assert.equal(guest.result.from, '2026-07-01T11:05:30Z');
    const all = await rpc(s.url, 'common:getRecords', { hours: 1 }, { cookie: admin });
    assert.equal(Object.keys(all.result.records).length, 3);
    const denied = await rpc(s.url, 'common:getRecords', { uuid: hidden });
    assert.deepEqual(denied.error, { code: -32602, message: 'UUID not found', data: hidden });
  });

  it('common:getRecords maxCount spreads the points across nodes and keeps evenly spaced ones', async () => {
    const r = await rpc(s.url, 'common:getRecords', { uuid: '', hours: 1, maxCount: 4 });
    assert.equal(r.result.count, 4);
    const times = (uuid: string) => r.result.records[uuid].map((x: { time: string }) => x.time.slice(11, 16));
    // 6 and 5 points into 4: ⌊6·4/11⌋ = 2, ⌊5·4/11⌋ = 1, the leftover to the larger fraction (5 → 1.82)
    assert.deepEqual(times(shown), ['12:00', '12:05']);
    assert.deepEqual(times(gpu), ['12:00', '12:04']);
    const unlimited = await rpc(s.url, 'common:getRecords', { uuid: shown, hours: 1, maxCount: -1 });
    assert.equal(unlimited.result.count, 6);
  });

  it('common:getRecords load_type projects in struct order, unknown types fall back to cpu', async () => {
    const r = await rpc(s.url, 'common:getRecords', ['load', shown, 1, '', '', 'ram']);
    assert.equal(r.result.load_type, 'ram');
    assert.deepEqual(Object.keys(r.result.records[shown][0]), ['client', 'time', 'ram', 'ram_total']);
    const odd = await rpc(s.url, 'common:getRecords', { uuid: shown, hours: 1, load_type: 'weird' });
    assert.deepEqual(Object.keys(odd.result.records[shown][0]), ['client', 'time', 'cpu']);
  });

  it('common:getRecords with start/end, and its parameter errors', async () => {
    const r = await rpc(s.url, 'common:getRecords', { uuid: shown, start: '2026-07-01T12:01:00Z', end: '2026-07-01T14:02:30+02:00' });
    assert.deepEqual(r.result.records[shown].map((x: { time: string }) => x.time), ['2026-07-01T12:01:00Z', '2026-07-01T12:02:00Z']);
    const noZone = await rpc(s.url, 'common:getRecords', { start: '2026-07-01T12:01:00' });
    assert.equal(noZone.error?.code, -32602);
    assert.match(noZone.error!.message, /^Invalid request body: start: /);
    const stringHours = await rpc(s.url, 'common:getRecords', { hours: '4' });
    assert.match(stringHours.error!.message, /^Invalid request body: hours: /);
    const type = await rpc(s.url, 'common:getRecords', { type: 'disk' });
    assert.deepEqual(type.error, { code: -32602, message: "Invalid type, expected 'load' or 'ping'", data: 'disk' });
  });

  it('common:getRecords ping answers the true empty result: no ping task exists yet', async () => {
    const r = await rpc(s.url, 'common:getRecords', { type: 'ping', uuid: shown, hours: 2 });
    assert.deepEqual(r.result, { count: 0, records: [], tasks: [], from: '2026-07-01T10:05:30Z', to: '2026-07-01T12:05:30Z' });
  });
});
