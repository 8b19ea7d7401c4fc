import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { emptyBucket, gauges } from '../src/history/bucket.ts';
import { emptyPingBucket } from '../src/ping/bucket.ts';
import { addNode } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startWithAdmin, type TestServer } from './helpers/server.ts';

/*
 * The work a metric call does is bounded, not only its answer: a week at the 5-minute tier is
 * 2016 stored buckets per node however few points are asked for (max_points 1), and before the
 * bound one guest call over 200 nodes × 5 metrics read 2 million of them (11.5 s of CPU).
 */

const now = Date.UTC(2026, 5, 1);
const week = 167.9; // hours: still inside the 5-minute tier's 7 days
const perNode = 2016;

describe('metric methods: the stored buckets a call and a guest address may read', () => {
  const clock = new ManualClock(now);
  let s: TestServer;
  let cookie: string;
  const nodes: string[] = [];
  let hidden: string;
  let task: number;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({
      clock,
      limits: { metrics: { maxBucketsPerCall: 5000, guestBuckets: { burst: 10_000, perMinute: 10_000, maxKeys: 100 } } },
    }));
    for (let i = 0; i < 3; i++) nodes.push((await addNode(s, cookie, `n${i}`)).uuid);
    hidden = (await addNode(s, cookie, 'hidden')).uuid;
    await http(s.url, `/api/admin/client/${hidden}/edit`, { method: 'POST', cookie, body: { hidden: true } });
    task = (await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'p', type: 'icmp', target: '1.1.1.1', interval: 60, clients: [nodes[0]] } })).json.data.task_id;
    for (const node of [...nodes, hidden]) {
      const rows = [];
      for (let i = 0; i < perNode; i++) {
        const b = emptyBucket(node, 300, Math.floor(now / 300_000) * 300_000 - i * 300_000);
        b.count = 10;
        for (const g of gauges) {
          b.sum[g] = node === hidden ? 990 : 10 * (i % 7);
          b.max[g] = 99;
        }
        rows.push(b);
      }
      await s.ctx.store.history.write(rows);
    }
    const pings = [];
    for (let i = 0; i < perNode; i++) {
      const b = emptyPingBucket(task, nodes[0]!, 300, Math.floor(now / 300_000) * 300_000 - i * 300_000);
      Object.assign(b, { sent: 5, lost: 1, sum: 40, min: 5, max: 15, last: 10, lastAt: b.start });
      pings.push(b);
    }
    await s.ctx.store.ping.history.write(pings);
  });
  after(() => s.dispose());

  const query = (params: Record<string, unknown>, c?: string) => rpc(s.url, 'public:queryMetrics', { hours: week, max_points: 1, ...params }, c ? { cookie: c } : {});

  it('a call reading more than maxBucketsPerCall is refused, for an admin too, and says why', async () => {
    for (const c of [undefined, cookie]) {
      const r = await query({ metric_keys: ['cpu.usage'], entity_ids: nodes }, c);
      assert.equal(r.error?.code, -32602);
      assert.equal(r.error?.message, 'the query reads more than 5000 stored buckets: ask for a shorter window, fewer nodes or fewer metrics');
    }
    // The same nodes over a day read a 12th of it.
    const day = await query({ metric_keys: ['cpu.usage'], entity_ids: nodes, hours: 23.9 }, cookie);
    assert.equal(day.result.count, 3);
    // Load buckets are known before reading: the refusal read nothing, so it cost the guest nothing.
    const two = { metric_keys: ['cpu.usage'], entity_ids: nodes.slice(0, 2) }; // 4032 of the guest's 10,000
    assert.equal((await query(two)).result?.count, 2);
    assert.equal((await query(two)).result?.count, 2);
  });

  it('every load metric of a node comes from one read of its rows', async () => {
    const keys = ['cpu.usage', 'memory.used', 'swap.used', 'load.average', 'disk.used', 'net.in.rate', 'process.count'];
    // 2 nodes × 7 metrics would be 28,224 buckets read metric by metric; read once per node it is 4032.
    const r = await query({ metric_keys: keys, entity_ids: nodes.slice(0, 2), aggregation: 'p99' }, cookie);
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.deepEqual(r.result.series.map((x: { metric_key: string; entity_id: string }) => `${x.metric_key} ${x.entity_id}`), keys.flatMap((k) => nodes.slice(0, 2).map((n) => `${k} ${n}`)));
    assert.ok(r.result.series.every((x: { count: number }) => x.count >= 1 && x.count <= 2));
  });

  it("a guest address gets guestBuckets' worth of reads, then -32029 until it refills; an admin is not counted", async () => {
    clock.advance(60_000); // a full share, whatever the refusals above took
    const one = { metric_keys: ['cpu.usage'], entity_ids: nodes.slice(0, 2) }; // 4032 buckets
    const first = await query(one);
    assert.equal(first.result?.count, 2, JSON.stringify(first.error));
    assert.equal((await query(one)).result?.count, 2);
    const third = await query(one);
    assert.equal(third.error?.code, -32029);
    assert.equal(third.error?.message, 'too many metric queries from this address: try again in a minute');
    // Ping stats draw from the same share.
    assert.equal((await rpc(s.url, 'public:getPingMetricStats', { uuid: nodes[0], hours: week })).error?.code, -32029);
    assert.equal((await query(one, cookie)).result?.count, 2);
    clock.advance(30_000); // half a minute refills 5000
    assert.equal((await query(one)).result?.count, 2);
    assert.equal((await query(one)).error?.code, -32029);
    clock.advance(60_000);
  });

  it('getPingMetricStats is bounded the same way and its figures stay right', async () => {
    clock.advance(60_000);
    const r = await rpc(s.url, 'public:getPingMetricStats', { uuid: nodes[0], hours: week, max_points: 1 });
    assert.equal(r.error, undefined, JSON.stringify(r.error));
    assert.equal(r.result.count, 1);
    assert.equal(r.result.stats[0].total, 5 * perNode);
    assert.equal(r.result.stats[0].avg, 10);
    const big = await rpc(s.url, 'public:getPingMetricStats', { entity_ids: nodes, hours: week }, { cookie });
    assert.equal(big.error, undefined); // one node has ping rows: 2016 read, the others none
    clock.advance(60_000);
  });

  it('a guest never reads a hidden node, asked by name or not; on a private site a guest reads nothing', async () => {
    clock.advance(60_000);
    const all = await query({ metric_keys: ['cpu.usage'], hours: 23.9 });
    assert.deepEqual(all.result.series.map((x: { entity_id: string }) => x.entity_id), nodes);
    const named = await query({ metric_keys: ['cpu.usage'], entity_ids: [hidden], hours: 23.9 });
    assert.deepEqual(named.result.series, []);
    const stats = await rpc(s.url, 'public:getPingMetricStats', { uuid: hidden, hours: 23.9 });
    assert.deepEqual(stats.result.stats, []);
    assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: true } })).status, 200);
    try {
      for (const m of ['public:queryMetrics', 'public:getPingMetricStats']) {
        const r = await rpc(s.url, m, { metric_keys: ['cpu.usage'], hours: 1 });
        // refused at the HTTP gate, before any method runs
        assert.equal(r.result, undefined, `${m} answered a guest on a private site`);
        assert.match(JSON.stringify(r), /Private site is enabled/);
      }
    } finally {
      await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: false } });
    }
  });
});
