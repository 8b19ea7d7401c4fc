import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { parseReport } from '../src/agents/ingest.ts';
import { HistoryEngine } from '../src/history/engine.ts';
import { SettingsService } from '../src/services/settings-service.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/types.ts';
import { ManualClock } from './helpers/clock.ts';
import { LogCapture } from './helpers/log-capture.ts';

const sample = (cpu: number) => parseReport({ cpu: { usage: cpu }, network: { totalUp: cpu, totalDown: 0 }, uptime: cpu });

/** The history engine over a real SQLite file, with a buffer of three buckets and no timers running. */
describe('the bounded write buffer', () => {
  const clock = new ManualClock('2026-08-01T00:00:10Z');
  const log = new LogCapture();
  let dir: string;
  let store: Store;
  let history: HistoryEngine;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'komari-queue-'));
    store = openSqliteStore(join(dir, 'komari.db'));
    const settings = await SettingsService.load(store.settings);
    history = new HistoryEngine({ store, clock, settings, log: Fastify({ logger: { stream: log } }).log, limits: { bufferBuckets: 3 } });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when full, a report is still folded and the bucket changed longest ago is dropped, counted in one warning at the next flush', async () => {
    for (const node of ['a', 'b', 'c']) history.record(node, sample(10), clock.now());
    history.record('a', sample(30), clock.now() + 1); // a's bucket changes: b's is now the oldest
    history.record('d', sample(20), clock.now() + 2);
    assert.equal(history.unwritten, 3, 'the buffer holds its bound, no more');
    assert.equal((await history.buckets('a', 60, 0, clock.now()))[0]!.count, 2);
    assert.equal((await history.buckets('d', 60, 0, clock.now()))[0]!.count, 1);
    await history.flush();
    const warnings = log.matching('history buffer full');
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.dropped, 1);
    assert.equal(warnings[0]!.bufferBuckets, 3);
    for (const node of ['a', 'c', 'd']) assert.equal((await store.history.range(node, 60, 0, clock.now())).length, 1, node);
    assert.deepEqual(await store.history.range('b', 60, 0, clock.now()), [], "b's pending write was the one dropped");
    // b's minute is still open in memory: its next report queues it again, whole.
    history.record('b', sample(50), clock.now() + 3);
    await history.flush();
    assert.equal((await store.history.range('b', 60, 0, clock.now()))[0]!.count, 2);
    assert.equal(log.matching('history buffer full').length, 1, 'nothing more was dropped, nothing more logged');
  });

  it('a failed write keeps the buckets queued and the next flush writes them; reports go on meanwhile', async () => {
    const other = new DatabaseSync(join(dir, 'komari.db'));
    const schema = String(other.prepare("SELECT sql FROM sqlite_master WHERE name = 'history_buckets'").get()!.sql);
    other.exec('DROP TABLE history_buckets');
    history.record('e', sample(20), clock.now() + 4);
    await assert.rejects(history.flush(), /no such table/);
    history.record('e', sample(40), clock.now() + 5);
    assert.ok(history.unwritten >= 1);
    other.exec(schema);
    other.close();
    await history.flush();
    assert.equal(history.unwritten, 0);
    const [e] = await store.history.range('e', 60, 0, clock.now() + 5);
    assert.equal(e!.count, 2);
  });
});

describe('a system clock that goes back', () => {
  const clock = new ManualClock('2026-08-02T00:00:10Z');
  let dir: string;
  let store: Store;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'komari-clock-'));
    store = openSqliteStore(join(dir, 'komari.db'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a sample stamped before a minute the flush already closed goes to the next minute, not over the closed one', async () => {
    const settings = await SettingsService.load(store.settings);
    const history = new HistoryEngine({ store, clock, settings, log: Fastify({ logger: false }).log });
    history.record('n', sample(10), clock.now());
    clock.set(Date.parse('2026-08-02T00:01:05Z'));
    await history.flush(); // closes 00:00
    history.record('n', sample(20), Date.parse('2026-08-02T00:00:40Z')); // NTP stepped the clock back
    await history.flush();
    const rows = await store.history.range('n', 60, 0, clock.now());
    assert.deepEqual(rows.map((r) => [new Date(r.start).toISOString(), r.count, r.sum.cpu]), [
      ['2026-08-02T00:00:00.000Z', 1, 10],
      ['2026-08-02T00:01:00.000Z', 1, 20],
    ]);
  });
});
