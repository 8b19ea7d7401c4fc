import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestReport, parseReport } from '../src/agents/ingest.ts';
import { allocateTargets, pickEvenly } from '../src/history/downsample.ts';
import type { HistoryGauge, HistoryRow } from '../src/store/types.ts';
import { ManualClock } from './helpers/clock.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from './helpers/postgres.ts';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';

const minute = 60_000;
const hour = 3_600_000;
const day = 24 * hour;
const gauges: HistoryGauge[] = ['cpu', 'gpu', 'ram', 'swap', 'load', 'disk', 'net_in', 'net_out', 'process', 'connections', 'connections_udp'];

/** A stored bucket with figures that differ per node and start, so a swapped or merged point shows. */
function bucket(node: string, width: number, start: number, seed: number): HistoryRow {
  const count = 1 + (seed % 7);
  const sum = Object.fromEntries(gauges.map((g, i) => [g, (seed * 13 + i) * count])) as Record<HistoryGauge, number>;
  const max = Object.fromEntries(gauges.map((g, i) => [g, seed * 13 + i + 1])) as Record<HistoryGauge, number>;
  return {
    node, width, start, count, gpuCount: seed % 2, sum, max, lastAt: start + width * 1000 - 1 - (seed % 5),
    netTotalUp: seed * 3, netTotalDown: seed * 5, ramTotal: 8000, swapTotal: 0, diskTotal: 9000, trafficUp: seed, trafficDown: 2 * seed,
  };
}

/** Every bucket of every default tier from `from` to `to`, except where `skip` says the node was off. */
function history(node: string, from: number, to: number, skip: (t: number) => boolean): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const width of [60, 300, 3600, 86_400]) {
    const w = width * 1000;
    for (let t = Math.ceil(from / w) * w; t + w <= to; t += w) if (!skip(t)) rows.push(bucket(node, width, t, Math.floor(t / w) % 1000));
  }
  return rows;
}

const report = (i: number) => ({
  cpu: { usage: 10 + i }, ram: { total: 4000, used: 1000 + i }, load: { load1: 0.5, load5: 0, load15: 0 },
  network: { up: 5, down: 7, totalUp: 100 * i, totalDown: 200 * i }, uptime: 1000 + i, process: 80 + i,
});

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`common:getRecords over every node answers what reading each node answers (${engine})`, { skip: engine === 'postgres' && !testPgUrl ? pgSkipReason : undefined }, () => {
    const clock = new ManualClock('2026-07-01T12:00:30Z');
    let pg: Awaited<ReturnType<typeof freshPgSchema>> | undefined;
    let s: TestServer;
    let admin: string;
    const nodes: string[] = [];

    before(async () => {
      if (engine === 'postgres') pg = await freshPgSchema();
      s = await startTestServer({ clock, pg: pg && { url: testPgUrl, schema: pg.schema } });
      admin = await s.login();
      for (const name of ['steady', 'gappy', 'hidden', 'gone', 'new', 'quiet']) {
        nodes.push((await http(s.url, '/api/admin/client/add', { method: 'POST', cookie: admin, body: { name } })).json.uuid);
      }
      const [steady, gappy, hidden, gone, fresh] = nodes as [string, string, string, string, string];
      await http(s.url, `/api/admin/client/${hidden}/edit`, { method: 'POST', cookie: admin, body: { hidden: true } });
      const now = clock.now();
      const minuteOf = (t: number) => Math.floor(t / minute);
      await s.ctx.store.history.write([
        ...history(steady, now - 120 * day, now - 10 * minute, () => false),
        // off for a few hours every two days, and some minutes every hour
        ...history(gappy, now - 100 * day, now - 10 * minute, (t) => t % (2 * day) < 5 * hour || (minuteOf(t) % 60 >= 7 && minuteOf(t) % 60 < 13)),
        ...history(hidden, now - 3 * day, now - 10 * minute, () => false),
        // stopped reporting 40 days ago
        ...history(gone, now - 90 * day, now - 40 * day, () => false),
        // a bucket with no samples is no point
        { ...bucket(gappy, 3600, Math.floor(now / hour) * hour - 3 * hour, 1), count: 0 },
      ]);
      // The last ten minutes arrive live, then the current minute: its buckets (and the coarse
      // buckets they fold into) are in memory, a report newer than their stored copy.
      for (let i = 0; i < 11; i++) {
        for (const uuid of [steady, gappy, fresh]) ingestReport(s.ctx, uuid, parseReport(report(i)), { presence: false });
        if (i < 10) clock.advance(minute);
      }
      await s.ctx.history.flush();
      for (const uuid of [steady, fresh]) ingestReport(s.ctx, uuid, parseReport(report(20)), { presence: false });
      // a stored bucket without samples among the newest ones is no point either
      const quiet = nodes[5]!;
      await s.ctx.store.history.write([60, 300, 3600, 86_400].map((w) => ({ ...bucket(quiet, w, Math.floor(clock.now() / (w * 1000)) * w * 1000, 3), count: 0 })));
      assert.ok(s.ctx.history.memoryBuckets(60, 0, Infinity).length >= 3);
    });
    after(async () => {
      await s?.dispose();
      await pg?.drop();
    });

    /** What the old reading gave: every node alone, unreduced, then Komari's reduction across them. */
    async function expected(params: Record<string, unknown>, maxCount: number, cookie?: string) {
      const full: [string, unknown[]][] = [];
      for (const uuid of nodes) {
        const one = await rpc(s.url, 'common:getRecords', { ...params, uuid, maxCount: -1 }, { cookie });
        const list = (one.result?.records?.[uuid] ?? []) as unknown[];
        if (list.length > 0) full.push([uuid, list]);
      }
      const targets = allocateTargets(full.map(([, l]) => l.length), maxCount || 4000);
      const records = Object.fromEntries(full.map(([uuid, list], i) => [uuid, pickEvenly(list, targets[i]!)]));
      return { count: targets.reduce((a, b) => a + b, 0), records };
    }

    /** deepEqual, but a mismatch names the first differing point (a diff of thousands of points takes minutes). */
    function sameRecords(got: Record<string, unknown[]>, want: Record<string, unknown[]>, label: string): void {
      assert.deepEqual(Object.keys(got), Object.keys(want), label);
      for (const [uuid, list] of Object.entries(want)) {
        assert.equal(got[uuid]!.length, list.length, `${label}: points of ${uuid}`);
        list.forEach((r, i) => assert.equal(JSON.stringify(got[uuid]![i]), JSON.stringify(r), `${label}: ${uuid} point ${i}`));
      }
    }

    const windows: [string, Record<string, unknown>][] = [
      ['the last hour (minute buckets)', { hours: 1 }],
      ['a day (5-minute buckets)', { hours: 24 }],
      ['100 hours (10-minute buckets merged from 5-minute rows)', { hours: 100 }],
      ['a month (hourly buckets)', { hours: 720 }],
      ['2,000 hours (3-hour buckets merged from hourly rows)', { hours: 2000 }],
      ['4 months (daily buckets)', { hours: 2900 }],
      ['start and end given, ending before the live minutes', { start: '2026-06-20T00:00:00Z', end: '2026-06-30T06:30:00Z' }],
    ];
    for (const [name, params] of windows) {
      it(`${name}: every maxCount, for an admin and a guest`, async () => {
        for (const maxCount of [0, 1, 5, 37, 600, -1]) {
          for (const cookie of [admin, undefined]) {
            const got = await rpc(s.url, 'common:getRecords', { ...params, maxCount }, { cookie });
            assert.equal(got.error, undefined, JSON.stringify(got.error));
            const want = await expected(params, maxCount, cookie);
            assert.equal(got.result.count, want.count, `maxCount ${maxCount}`);
            sameRecords(got.result.records, want.records, `maxCount ${maxCount}`);
          }
        }
      });
    }

    it('load_type projects the kept points as reading one node does', async () => {
      const got = await rpc(s.url, 'common:getRecords', { hours: 720, maxCount: 40, load_type: 'network' });
      const want = await expected({ hours: 720, load_type: 'network' }, 40);
      sameRecords(got.result.records, want.records, 'network');
      assert.equal(got.result.load_type, 'network');
    });
  });
}

describe('common:getRecords over every node refuses an answer that could not fit the byte cap, before reading it', () => {
  const clock = new ManualClock('2026-07-01T12:00:30Z');
  let s: TestServer;

  before(async () => {
    s = await startTestServer({ clock, limits: { rpc: { maxResponseBytes: 2048 } } });
    const cookie = await s.login();
    const uuid = (await http(s.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'n' } })).json.uuid;
    await s.ctx.store.history.write(Array.from({ length: 60 }, (_, i) => bucket(uuid, 60, Date.parse('2026-07-01T11:00:00Z') + i * minute, i)));
  });
  after(() => s.dispose());

  it('60 points of at least 70 bytes each pass 2,048 bytes: the cap’s error; 10 points are answered', async () => {
    const got = await rpc(s.url, 'common:getRecords', { hours: 1, maxCount: -1, load_type: 'cpu' });
    assert.deepEqual(got.error, { code: -32603, message: 'response too large: answers are limited to 2048 bytes per request' });
    const small = await rpc(s.url, 'common:getRecords', { hours: 1, maxCount: 10, load_type: 'cpu' });
    assert.equal(small.result.count, 10);
  });
});
