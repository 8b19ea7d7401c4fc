import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { HistoryGauge, HistoryRow, HistoryStore } from '../../src/store/types.ts';
import { forEachSlot } from '../../src/store/history-slots.ts';
import { pruneInBatches } from '../../src/util/batched-prune.ts';
import type { OpenedEngine } from './engines.ts';

const gauges: HistoryGauge[] = [
  'cpu', 'gpu', 'ram', 'swap', 'load', 'disk', 'net_in', 'net_out', 'process', 'connections', 'connections_udp',
];
const minute = 60_000;

/** A bucket whose every field differs from every other, so a swapped column shows. */
function bucket(node: string, width: number, start: number, seed = 1): HistoryRow {
  const sum = {} as Record<HistoryGauge, number>;
  const max = {} as Record<HistoryGauge, number>;
  gauges.forEach((g, i) => {
    sum[g] = seed * 1000 + i + 0.25;
    max[g] = seed * 100 + i + 0.5;
  });
  return {
    node, width, start, count: seed + 3, gpuCount: seed + 1, sum, max, lastAt: start + 999,
    netTotalUp: seed * 11, netTotalDown: seed * 12, ramTotal: seed * 13, swapTotal: seed * 14,
    diskTotal: seed * 15, trafficUp: seed * 16, trafficDown: seed * 17,
  };
}

/** A whole prune, as the engine runs it: bounded steps until one deletes fewer than the bound. */
const pruneAll = (h: HistoryStore, cutoffs: ReadonlyMap<number, number>, batch = 1000) =>
  pruneInBatches((max) => h.prune(cutoffs, max), batch);

/** HistoryStore: rollup buckets as SQLite keeps them (store/sqlite/history.ts). */
export function historySuite(open: () => Promise<OpenedEngine>): void {
  async function withHistory(fn: (h: HistoryStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.history!);
    } finally {
      await e.close();
    }
  }
  const all = (h: HistoryStore, node: string, width: number) => h.range(node, width, -Infinity, Infinity);

  it('reads back every field of a bucket exactly, 8-byte floats not rounded to 4', () =>
    withHistory(async (h) => {
      const r = bucket('n1', 60, 0);
      const odd = [0.1, 1e300, 5e-324, Infinity, -Infinity, 2 ** 64, 1 / 3, -2.5, 16_777_217.1, 123_456_789.123_456_78];
      gauges.forEach((g, i) => {
        r.sum[g] = odd[i % odd.length]!;
        r.max[g] = odd[(i + 3) % odd.length]!;
      });
      Object.assign(r, {
        start: 2 ** 52, lastAt: 2 ** 52 + 1, count: 2 ** 40, netTotalUp: 2 ** 60 + 2 ** 10, trafficDown: 0.1 + 0.2,
      });
      await h.write([r]);
      assert.deepEqual(await all(h, 'n1', 60), [r]);
      assert.deepEqual(await h.latest('n1', 60), r);
    }));

  it('reads −0 back as 0, as SQLite keeps an integral REAL', () =>
    withHistory(async (h) => {
      const r = bucket('n1', 60, 0);
      r.sum.cpu = -0;
      r.trafficUp = -0;
      await h.write([r]);
      const [got] = await all(h, 'n1', 60);
      assert.ok(Object.is(got!.sum.cpu, 0) && Object.is(got!.trafficUp, 0));
    }));

  it('write refuses a NaN and writes nothing of the batch, across statement-sized chunks', () =>
    withHistory(async (h) => {
      const rows = Array.from({ length: 2500 }, (_, i) => bucket('n1', 60, i * minute));
      rows[2400]!.max.load = NaN;
      await assert.rejects(h.write(rows));
      assert.deepEqual(await all(h, 'n1', 60), []);
      assert.equal(await h.latest('n1', 60), undefined);
    }));

  it('insertMissing skips a row with a NaN and keeps the rest (SQLite: INSERT OR IGNORE)', () =>
    withHistory(async (h) => {
      const rows = [bucket('n1', 60, 0), bucket('n1', 60, minute), bucket('n1', 60, 2 * minute)];
      rows[1]!.trafficUp = NaN;
      assert.equal(await h.insertMissing(rows), 2);
      assert.deepEqual((await all(h, 'n1', 60)).map((r) => r.start / minute), [0, 2]);
    }));

  it('write replaces a stored bucket whole; the last of duplicates in one batch wins', () =>
    withHistory(async (h) => {
      await h.write([bucket('n1', 60, 0, 1), bucket('n1', 60, minute, 1)]);
      await h.write([bucket('n1', 60, 0, 2)]);
      assert.deepEqual(await all(h, 'n1', 60), [bucket('n1', 60, 0, 2), bucket('n1', 60, minute, 1)]);
      await h.write([bucket('n1', 60, minute, 5), bucket('n1', 60, minute, 6)]);
      assert.deepEqual(await all(h, 'n1', 60), [bucket('n1', 60, 0, 2), bucket('n1', 60, minute, 6)]);
      await h.write([]);
      assert.equal((await all(h, 'n1', 60)).length, 2);
    }));

  it('insertMissing never overwrites, counts what it added, the first of duplicates wins', () =>
    withHistory(async (h) => {
      await h.write([bucket('n1', 60, 0, 1)]);
      const rows = [bucket('n1', 60, 0, 9), bucket('n1', 60, minute, 9), bucket('n1', 60, minute, 8), bucket('n2', 60, 0, 7)];
      assert.equal(await h.insertMissing(rows), 2);
      assert.equal(await h.insertMissing(rows), 0);
      assert.equal(await h.insertMissing([]), 0);
      assert.deepEqual(await all(h, 'n1', 60), [bucket('n1', 60, 0, 1), bucket('n1', 60, minute, 9)]);
      assert.deepEqual(await all(h, 'n2', 60), [bucket('n2', 60, 0, 7)]);
    }));

  it('keeps tiers apart: the same start in two widths is two buckets', () =>
    withHistory(async (h) => {
      await h.write([bucket('n1', 60, 0, 1), bucket('n1', 300, 0, 2), bucket('n1', 3600, 0, 3)]);
      assert.deepEqual(await all(h, 'n1', 300), [bucket('n1', 300, 0, 2)]);
      assert.deepEqual(await h.latest('n1', 3600), bucket('n1', 3600, 0, 3));
      assert.deepEqual(await all(h, 'n1', 120), []);
    }));

  it('range is from ≤ start ≤ to, oldest first whatever the write order', () =>
    withHistory(async (h) => {
      const starts = [5, 2, 4, 1, 3].map((i) => i * minute);
      await h.write(starts.map((s) => bucket('n1', 60, s)));
      await h.write([bucket('n2', 60, 3 * minute)]);
      const at = async (from: number, to: number) => (await h.range('n1', 60, from, to)).map((r) => r.start / minute);
      assert.deepEqual(await at(2 * minute, 4 * minute), [2, 3, 4]);
      assert.deepEqual(await at(2 * minute + 1, 4 * minute - 1), [3]);
      assert.deepEqual(await at(2 * minute - 0.5, 4 * minute + 0.5), [2, 3, 4]);
      assert.deepEqual(await at(2 * minute + 0.5, 4 * minute - 0.5), [3]);
      assert.deepEqual(await at(3 * minute, 3 * minute), [3]);
      assert.deepEqual(await at(4 * minute, 2 * minute), []);
      assert.deepEqual(await at(-Infinity, Infinity), [1, 2, 3, 4, 5]);
      assert.deepEqual(await at(-(2 ** 70), 2 ** 70), [1, 2, 3, 4, 5]);
      assert.deepEqual(await at(NaN, Infinity), []);
      assert.deepEqual(await h.range('nobody', 60, -Infinity, Infinity), []);
      assert.deepEqual(await h.range('n1', 60.5, -Infinity, Infinity), []);
      assert.equal((await h.latest('n1', 60))!.start, 5 * minute);
      assert.equal(await h.latest('nobody', 60), undefined);
    }));

  it('takes node ids as data: quotes, unicode and SQL', () =>
    withHistory(async (h) => {
      const nodes = ["o'brien", '服务器 ✓', "x'); DROP TABLE history_buckets; --", ''];
      await h.write(nodes.map((n, i) => bucket(n, 60, 0, i)));
      for (const [i, n] of nodes.entries()) assert.deepEqual(await all(h, n, 60), [bucket(n, 60, 0, i)]);
    }));

  it('prune deletes rows before each width’s cutoff, strictly, on every node', () =>
    withHistory(async (h) => {
      const rows = ['a', 'b', 'c'].flatMap((n) => [0, 1, 2, 3].flatMap((i) => [bucket(n, 60, i * minute), bucket(n, 300, i * minute)]));
      await h.write(rows);
      const deleted = await pruneAll(h, new Map([[60, 2 * minute], [300, minute]]));
      assert.equal(deleted, 3 * 2 + 3 * 1);
      for (const n of ['a', 'b', 'c']) {
        assert.deepEqual((await all(h, n, 60)).map((r) => r.start / minute), [2, 3]);
        assert.deepEqual((await all(h, n, 300)).map((r) => r.start / minute), [1, 2, 3]);
      }
      assert.equal(await pruneAll(h, new Map([[60, 2 * minute], [300, minute]])), 0);
    }));

  it('prune drops a width it pruned before and that is no longer configured, never one it never saw', () =>
    withHistory(async (h) => {
      await h.write([bucket('a', 60, 0), bucket('a', 300, 0), bucket('b', 300, 0), bucket('a', 900, 0)]);
      // 900 was never configured: the first prune does not know it is a tier, so leaves it.
      assert.equal(await pruneAll(h, new Map([[60, -1], [300, -1]])), 0);
      assert.equal(await pruneAll(h, new Map([[60, -1]])), 2);
      assert.deepEqual(await all(h, 'a', 300), []);
      assert.deepEqual(await all(h, 'b', 300), []);
      assert.equal((await all(h, 'a', 60)).length, 1);
      assert.equal((await all(h, 'a', 900)).length, 1);
      // Retired once, forgotten: rows of 300 written again stay until it is configured again.
      await h.write([bucket('a', 300, 0)]);
      assert.equal(await pruneAll(h, new Map([[60, -1]])), 0);
      assert.equal(await pruneAll(h, new Map()), 1);
    }));

  it('holds many nodes in one write larger than one statement, and prunes them all', () =>
    withHistory(async (h) => {
      const nodes = Array.from({ length: 60 }, (_, i) => `node-${i}`);
      const rows = nodes.flatMap((n, j) => Array.from({ length: 50 }, (_, i) => bucket(n, 60, i * minute, j)));
      await h.write(rows);
      for (const [j, n] of [[0, nodes[0]!], [59, nodes[59]!]] as const) {
        const got = await all(h, n, 60);
        assert.equal(got.length, 50);
        assert.deepEqual(got[49], bucket(n, 60, 49 * minute, j));
      }
      assert.equal(await h.insertMissing(rows), 0);
      assert.equal(await pruneAll(h, new Map([[60, 10 * minute]])), 60 * 10);
      assert.equal((await all(h, nodes[30]!, 60)).length, 40);
    }));

  it('prune deletes at most maxRows a call; repeated, it removes a backlog larger than one batch and keeps every newer row', () =>
    withHistory(async (h) => {
      const nodes = ['a', 'b', 'c'];
      const rows = nodes.flatMap((n, j) => Array.from({ length: 30 }, (_, i) => bucket(n, 60, i * minute, j)));
      await h.write(rows);
      await pruneAll(h, new Map([[60, -1], [900, -1]])); // 900 is a tier from now on
      await h.write(nodes.flatMap((n) => Array.from({ length: 10 }, (_, i) => bucket(n, 900, i * 15 * minute))));
      // 900 is retired now: its 30 rows go too, over several calls
      const cutoffs = new Map([[60, 20 * minute]]);
      const calls: number[] = [];
      for (let n = 7; n === 7; ) {
        n = await h.prune(cutoffs, 7);
        calls.push(n);
      }
      assert.ok(calls.every((n) => n <= 7));
      assert.equal(calls.reduce((a, b) => a + b, 0), 3 * 20 + 30);
      assert.ok(calls.length >= 13, String(calls));
      for (const n of nodes) {
        assert.deepEqual(await all(h, n, 60), rows.filter((r) => r.node === n && r.start >= 20 * minute));
        assert.deepEqual(await all(h, n, 900), []);
      }
      // forgotten once its last row went: rows of 900 written again stay
      await h.write([bucket('a', 900, 0)]);
      assert.equal(await pruneAll(h, cutoffs), 0);
    }));

  it('slots mark each node’s buckets stored with samples, through writes, overwrites, insertMissing, prunes and deletes', () =>
    withHistory(async (h) => {
      const marked = async (width: number, from = -Infinity, to = Infinity) => {
        const out: Record<string, number[]> = {};
        for (const [node, blocks] of [...(await h.slots(width, from, to))].sort(([x], [y]) => x.localeCompare(y))) {
          const starts: number[] = [];
          forEachSlot(blocks, width, from, to, (s) => starts.push(s / minute));
          out[node] = starts;
        }
        return out;
      };
      const empty = (node: string, start: number) => ({ ...bucket(node, 60, start), count: 0 });
      await h.write([
        ...[0, 1, 2, 5, 6, 31, 32, 70].map((i) => bucket('a', 60, i * minute)), empty('a', 3 * minute),
        ...Array.from({ length: 10 }, (_, i) => bucket('b', 60, i * minute)),
        bucket('c', 60, -minute), bucket('c', 60, -40 * minute), bucket('c', 300, 0),
      ]);
      assert.deepEqual(await marked(60), {
        a: [0, 1, 2, 5, 6, 31, 32, 70], b: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], c: [-40, -1],
      });
      assert.deepEqual(await marked(60, 5 * minute, 31 * minute), { a: [5, 6, 31], b: [5, 6, 7, 8, 9] });
      assert.deepEqual(await marked(300), { c: [0] });
      assert.deepEqual(await marked(60.5), {});
      // an overwrite decides: samples set the bit, none clear it
      await h.write([empty('a', minute), bucket('a', 60, 3 * minute), empty('b', 9 * minute), bucket('b', 60, 9 * minute)]);
      assert.deepEqual((await marked(60)).a, [0, 2, 3, 5, 6, 31, 32, 70]);
      assert.deepEqual((await marked(60)).b, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // insertMissing changes only what it inserts
      await h.insertMissing([bucket('a', 60, minute), bucket('a', 60, 7 * minute), empty('a', 8 * minute)]);
      assert.deepEqual((await marked(60)).a, [0, 2, 3, 5, 6, 7, 31, 32, 70]);
      await pruneAll(h, new Map([[60, 6 * minute]]), 3);
      assert.deepEqual(await marked(60), { a: [6, 7, 31, 32, 70], b: [6, 7, 8, 9] });
      await h.deleteNode('b');
      assert.deepEqual(Object.keys(await marked(60)), ['a']);
      await h.deleteAll();
      assert.deepEqual(await marked(60), {});
      assert.deepEqual(await marked(300), {});
    }));

  it('groupRows reads the rows of listed groups, count 0 too, within the window; rangeAll every node’s', () =>
    withHistory(async (h) => {
      const empty = { ...bucket('a', 60, 3 * minute), count: 0 };
      const a = [0, 1, 2, 5, 6].map((i) => bucket('a', 60, i * minute, i));
      const b = Array.from({ length: 10 }, (_, i) => bucket('b', 60, i * minute, i));
      await h.write([...a, empty, ...b]);
      const rowsOf = async (groupMs: number, groups: Record<string, number[]>, to = Infinity) =>
        (await h.groupRows({ width: 60, from: 0, to, groupMs }, new Map(Object.entries(groups))))
          .sort((x, y) => x.node.localeCompare(y.node) || x.start - y.start);
      assert.deepEqual(await rowsOf(3 * minute, { a: [3 * minute], b: [0] }), [empty, a[3], b[0], b[1], b[2]]);
      assert.deepEqual(await rowsOf(3 * minute, { a: [3 * minute] }, 4 * minute), [empty]);
      assert.deepEqual(await rowsOf(minute, { b: [9 * minute, 4 * minute], nobody: [0] }), [b[4], b[9]]);
      const range = await h.rangeAll(60, 5 * minute, 7 * minute);
      assert.deepEqual(range.filter((r) => r.node === 'a'), [a[3], a[4]]);
      assert.deepEqual(range.filter((r) => r.node === 'b'), [b[5], b[6], b[7]]);
      assert.deepEqual(await h.rangeAll(300, -Infinity, Infinity), []);
    }));

  it('deleteNode removes that node’s rows of every width and no other’s; deleteAll removes all', () =>
    withHistory(async (h) => {
      await h.write([bucket('a', 60, 0), bucket('a', 60, minute), bucket('a', 300, 0), bucket('b', 60, 0)]);
      assert.equal(await h.deleteNode('a'), 3);
      assert.equal(await h.deleteNode('a'), 0);
      assert.equal(await h.deleteNode('nobody'), 0);
      assert.deepEqual(await all(h, 'a', 60), []);
      assert.equal(await h.latest('a', 300), undefined);
      assert.deepEqual(await all(h, 'b', 60), [bucket('b', 60, 0)]);
      // The node may report again after its deletion: it starts afresh.
      await h.write([bucket('a', 60, 5 * minute)]);
      assert.deepEqual(await all(h, 'a', 60), [bucket('a', 60, 5 * minute)]);
      assert.equal(await h.deleteAll(), 2);
      assert.deepEqual(await all(h, 'b', 60), []);
      assert.equal(await h.deleteAll(), 0);
    }));

  it('a write racing a node’s deletion is either all gone or all kept, never half', () =>
    withHistory(async (h) => {
      await h.write([bucket('a', 60, 0)]);
      const rows = Array.from({ length: 100 }, (_, i) => bucket('a', 60, (i + 1) * minute));
      const [, deleted] = await Promise.all([h.write(rows), h.deleteNode('a')]);
      const left = (await all(h, 'a', 60)).length;
      assert.ok((deleted === 1 && left === 100) || (deleted === 101 && left === 0), `deleted ${deleted}, left ${left}`);
    }));
}
