import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { parseReport } from '../src/agents/ingest.ts';
import { AppError } from '../src/errors.ts';
import { HistoryEngine } from '../src/history/engine.ts';
import { SettingsService } from '../src/services/settings-service.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/types.ts';
import { ManualClock } from './helpers/clock.ts';

const sample = (cpu: number) => parseReport({ cpu: { usage: cpu }, network: { totalUp: cpu, totalDown: 0 }, uptime: cpu });

/** The history engine over a real SQLite file, with a queue of three rows and no timers running. */
describe('the bounded write queue', () => {
  const clock = new ManualClock('2026-08-01T00:00:10Z');
  let dir: string;
  let store: Store;
  let history: HistoryEngine;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'komari-queue-'));
    store = openSqliteStore(join(dir, 'komari.db'));
    const settings = await SettingsService.load(store.settings);
    history = new HistoryEngine({ store, clock, settings, log: Fastify({ logger: false }).log, timings: { queueCapacity: 3 } });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when full, record throws "history queue is full" and folds nothing', async () => {
    for (const node of ['a', 'b', 'c']) history.record(node, sample(10), clock.now());
    assert.throws(() => history.record('d', sample(20), clock.now()), (err: unknown) => err instanceof AppError && err.message === 'history queue is full');
    assert.throws(() => history.record('a', sample(30), clock.now() + 1), AppError);
    const [a] = await history.buckets('a', 60, 0, clock.now());
    assert.equal(a!.count, 1);
    assert.deepEqual(await history.buckets('d', 60, 0, clock.now()), []);
  });

  it('a failed write keeps the rows queued and the next flush writes them; ingest resumes', async () => {
    const other = new DatabaseSync(join(dir, 'komari.db'));
    const schema = String(other.prepare("SELECT sql FROM sqlite_master WHERE name = 'history_buckets'").get()!.sql);
    other.exec('DROP TABLE history_buckets');
    await assert.rejects(history.flush(), /no such table/);
    assert.throws(() => history.record('d', sample(20), clock.now()), AppError);
    other.exec(schema);
    other.close();
    await history.flush();
    history.record('d', sample(20), clock.now());
    await history.flush();
    for (const node of ['a', 'b', 'c', 'd']) assert.equal((await store.history.range(node, 60, 0, clock.now())).length, 1, node);
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
