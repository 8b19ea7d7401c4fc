import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PingBucketRow, PingHistoryStore } from '../../src/store/types.ts';
import { pruneInBatches } from '../../src/util/batched-prune.ts';
import type { OpenedEngine } from './engines.ts';

const row = (task: number, node: string, width: number, start: number, over: Partial<PingBucketRow> = {}): PingBucketRow => ({
  task, node, width, start, sent: 10, lost: 3, sum: 123.456, min: 7, max: 38.5, last: -1, lastAt: start + 999, ...over,
});

/** A whole prune, as the engine runs it: bounded steps until one deletes fewer than the bound. */
const pruneAll = (h: PingHistoryStore, cutoffs: ReadonlyMap<number, number>, batch = 1000) =>
  pruneInBatches((max) => h.prune(cutoffs, max), batch);

/** PingHistoryStore: buckets per (task, node) series, batched upserts, ranges, pruning and deletes. */
export function pingHistorySuite(open: () => Promise<OpenedEngine>): void {
  async function withHist(fn: (h: PingHistoryStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.ping!.history);
    } finally {
      await e.close();
    }
  }

  it('write round-trips every value exactly (fractional latencies, −1 last, huge times)', () =>
    withHist(async (h) => {
      const rows = [
        row(1, 'a', 60, 1_700_000_040_000, { sum: 0.1 + 0.2, min: 0.25, max: 1e9, last: 12.75, lastAt: 2 ** 53 - 1 }),
        row(1, 'a', 60, 0, { sent: 0, lost: 0, sum: 0, min: 0, max: 0, last: 0, lastAt: 0 }),
        row(2, '服务器', 3600, 3_600_000),
      ];
      await h.write(rows);
      assert.deepEqual(await h.range({ task: 1, node: 'a' }, 60, 0, 2 ** 53 - 1), [rows[1], rows[0]]);
      assert.deepEqual(await h.latest(1, 'a', 60), rows[0]);
      assert.deepEqual(await h.latest(2, '服务器', 3600), rows[2]);
      assert.equal(await h.latest(2, '服务器', 60), undefined);
      assert.equal(await h.latest(3, 'a', 60), undefined);
      assert.equal(await h.latest(1.5, 'a', 60), undefined);
      assert.deepEqual(await h.series(), [{ task: 1, node: 'a' }, { task: 2, node: '服务器' }]);
    }));

  it('write replaces a stored bucket whole; within one batch the last of a key wins', () =>
    withHist(async (h) => {
      await h.write([row(1, 'a', 60, 60_000)]);
      const last = row(1, 'a', 60, 60_000, { sent: 1, lost: 1, sum: 0, min: 0, max: 0, last: -1 });
      await h.write([row(1, 'a', 60, 60_000, { sent: 99 }), last]);
      assert.deepEqual(await h.range({}, 60, 0, 120_000), [last]);
      await h.write([]);
      assert.deepEqual(await h.range({}, 60, 0, 120_000), [last]);
    }));

  it('insertMissing keeps stored buckets and the first of a repeated key; counts what it added', () =>
    withHist(async (h) => {
      const kept = row(1, 'a', 60, 0);
      await h.write([kept]);
      const first = row(1, 'b', 60, 0, { sent: 1 });
      assert.equal(await h.insertMissing([row(1, 'a', 60, 0, { sent: 50 }), first, row(1, 'b', 60, 0, { sent: 2 })]), 1);
      assert.equal(await h.insertMissing([kept, first]), 0);
      assert.equal(await h.insertMissing([]), 0);
      assert.deepEqual(await h.range({}, 60, 0, 0), [kept, first]);
    }));

  it('range: inclusive edges, one width, the filter, oldest first then task then node (byte order)', () =>
    withHist(async (h) => {
      const rows = [
        row(2, 'b', 60, 120_000), row(1, 'b', 60, 120_000), row(1, 'B', 60, 120_000), row(1, 'a', 60, 120_000),
        row(1, 'a', 60, 60_000), row(1, 'a', 60, 180_000), row(1, 'a', 300, 120_000), row(10, 'a', 60, 120_000),
      ];
      await h.write(rows);
      const key = (r: PingBucketRow) => `${r.start / 1000}/${r.task}/${r.node}`;
      assert.deepEqual((await h.range({}, 60, 60_000, 180_000)).map(key), [
        '60/1/a', '120/1/B', '120/1/a', '120/1/b', '120/2/b', '120/10/a', '180/1/a',
      ]);
      assert.deepEqual((await h.range({}, 60, 60_001, 179_999)).map(key), ['120/1/B', '120/1/a', '120/1/b', '120/2/b', '120/10/a']);
      assert.deepEqual((await h.range({ task: 1 }, 60, 120_000, 120_000)).map(key), ['120/1/B', '120/1/a', '120/1/b']);
      assert.deepEqual((await h.range({ node: 'b' }, 60, 0, 1e12)).map(key), ['120/1/b', '120/2/b']);
      assert.deepEqual((await h.range({ task: 1, node: 'a' }, 300, 0, 1e12)).map(key), ['120/1/a']);
      assert.deepEqual(await h.range({}, 60, 180_001, 1e12), []);
      assert.deepEqual(await h.range({}, 60, 200_000, 100_000), []);
      assert.deepEqual(await h.range({ task: 1.5 }, 60, 0, 1e12), []);
      assert.deepEqual(await h.range({ node: "' OR 1=1 --" }, 60, 0, 1e12), []);
    }));

  it('prune deletes rows before each cutoff, rows of retired widths, and emptied series', () =>
    withHist(async (h) => {
      await h.write([row(1, 'a', 60, 0), row(1, 'a', 60, 60_000), row(1, 'a', 3600, 0), row(2, 'b', 60, 0), row(2, 'b', 900, 0)]);
      // 900 was never configured: its rows are not a retired tier's and stay.
      assert.equal(await pruneAll(h, new Map([[60, 60_000], [3600, 0]])), 2);
      assert.deepEqual(await h.series(), [{ task: 1, node: 'a' }, { task: 2, node: 'b' }]);
      assert.equal((await h.range({}, 60, 0, 1e12)).length, 1);
      // 3600 is retired now: every row of it goes.
      assert.equal(await pruneAll(h, new Map([[60, 0]])), 1);
      assert.deepEqual(await h.range({}, 3600, 0, 1e12), []);
      assert.equal(await pruneAll(h, new Map([[60, 1e12], [900, 1]])), 2);
      assert.deepEqual(await h.series(), []);
      assert.equal(await pruneAll(h, new Map()), 0);
      // A series can be written again after it was dropped.
      await h.write([row(1, 'a', 60, 0)]);
      assert.deepEqual(await h.series(), [{ task: 1, node: 'a' }]);
      assert.deepEqual(await h.latest(1, 'a', 60), row(1, 'a', 60, 0));
    }));

  it('prune deletes at most maxRows a call; repeated, it removes a backlog larger than one batch, keeps newer rows, then drops emptied series', () =>
    withHist(async (h) => {
      const rows = [1, 2].flatMap((task) => Array.from({ length: 20 }, (_, i) => row(task, 'a', 60, i * 60_000)));
      await h.write([...rows, row(3, 'b', 60, 0)]);
      const cutoffs = new Map([[60, 15 * 60_000]]);
      const calls: number[] = [];
      for (let n = 4; n === 4; ) {
        n = await h.prune(cutoffs, 4);
        calls.push(n);
        if (n === 4) assert.equal((await h.series()).length, 3, 'series are dropped by the last call only');
      }
      assert.ok(calls.every((n) => n <= 4));
      assert.equal(calls.reduce((a, b) => a + b, 0), 2 * 15 + 1);
      assert.deepEqual(await h.range({}, 60, 0, 1e12), rows.filter((r) => r.start >= 15 * 60_000).sort((x, y) => x.start - y.start || x.task - y.task));
      assert.deepEqual(await h.series(), [{ task: 1, node: 'a' }, { task: 2, node: 'a' }]);
    }));

  it('deleteSeries: by task (a task deleted), by node (a node deleted), both, or all', () =>
    withHist(async (h) => {
      await h.write([row(1, 'a', 60, 0), row(1, 'a', 60, 60_000), row(1, 'b', 60, 0), row(2, 'a', 60, 0), row(2, 'b', 3600, 0), row(3, 'c', 60, 0)]);
      assert.equal(await h.deleteSeries({ task: 1, node: 'a' }), 2);
      assert.equal(await h.deleteSeries({ node: 'b' }), 2);
      assert.equal(await h.deleteSeries({ task: 2 }), 1);
      assert.equal(await h.deleteSeries({ task: 2 }), 0);
      assert.equal(await h.deleteSeries({ task: 1.5 }), 0);
      assert.deepEqual(await h.series(), [{ task: 3, node: 'c' }]);
      assert.equal(await h.latest(1, 'a', 60), undefined);
      assert.equal(await h.deleteSeries({}), 1);
      assert.deepEqual(await h.series(), []);
    }));

  it('writes racing a prune that empties their series keep every row they wrote', () =>
    withHist(async (h) => {
      // Each series holds only a row the prune deletes, so the prune would drop the series: a
      // write to it at the same moment must still land (PostgreSQL: the prune locks the writers out).
      const n = 40;
      await h.write(Array.from({ length: n }, (_, i) => row(i, 'a', 60, 0)));
      await Promise.all([
        ...Array.from({ length: n }, (_, i) => h.write([row(i, 'a', 60, 120_000)])),
        ...Array.from({ length: 6 }, () => pruneAll(h, new Map([[60, 60_000]]))),
      ]);
      assert.equal((await h.range({}, 60, 120_000, 120_000)).length, n);
      assert.equal((await h.series()).length, n);
    }));

  it('a large batch is written whole', () =>
    withHist(async (h) => {
      const rows = Array.from({ length: 2000 }, (_, i) => row(i % 7, `n${i % 13}`, 60, i * 60_000));
      await h.write(rows);
      assert.equal((await h.range({}, 60, 0, 1e12)).length, 2000);
      assert.equal((await h.series()).length, 7 * 13);
    }));
}
