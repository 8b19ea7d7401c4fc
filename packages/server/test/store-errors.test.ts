import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import Fastify from 'fastify';
import { StoreConflict, StoreFull } from '../src/store/errors.ts';
import { storeErrorOf } from '../src/store/sqlite/errors.ts';
import { inTransaction } from '../src/store/sqlite/transaction.ts';
import { EngineSchedule } from '../src/util/engine-schedule.ts';
import { addNode, eventually } from './helpers/agent-common.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { http, startWithAdmin } from './helpers/server.ts';

describe('typed store errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-store-errors-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a transaction SQLite rolled back itself (SQLITE_FULL) rethrows the SQLite error, not "cannot rollback", and maps to StoreFull', () => {
    const db = new DatabaseSync(join(dir, 'full.db'));
    db.exec('CREATE TABLE blobs (b BLOB)');
    // SQLite's own size cap: the same SQLITE_FULL a full disk gives.
    db.exec(`PRAGMA max_page_count = ${Number(db.prepare('PRAGMA page_count').get()!.page_count) + 1}`);
    const insert = db.prepare('INSERT INTO blobs VALUES (?)');
    const err = (() => {
      try {
        inTransaction(db, () => {
          for (let i = 0; i < 100; i++) insert.run(Buffer.alloc(8192));
        });
      } catch (e) {
        return e as Error & { errcode?: number };
      }
      return assert.fail('the insert must fail');
    })();
    assert.equal(err.errcode, 13);
    assert.doesNotMatch(err.message, /rollback/i);
    assert.ok(storeErrorOf(err) instanceof StoreFull);
    assert.equal(db.isTransaction, false);
    insert.run(Buffer.alloc(10)); // the connection still works
    db.close();
  });

  it('a UNIQUE violation maps to StoreConflict naming the column', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE clients (token TEXT UNIQUE)');
    db.exec("INSERT INTO clients VALUES ('t')");
    let mapped: unknown;
    try {
      db.exec("INSERT INTO clients VALUES ('t')");
    } catch (e) {
      mapped = storeErrorOf(e);
    }
    assert.ok(mapped instanceof StoreConflict);
    assert.equal(mapped.field, 'token');
  });

  it('editing a node to another node\'s token is refused as a conflict and changes nothing', async () => {
    const { s, cookie } = await startWithAdmin();
    try {
      const a = await addNode(s, cookie, 'a');
      const b = await addNode(s, cookie, 'b');
      const res = await http(s.url, `/api/admin/client/${b.uuid}/edit`, { method: 'POST', cookie, body: { token: a.token } });
      assert.deepEqual([res.status, res.json], [400, { status: 'error', message: 'token is already used by another node' }]);
      const again = await http(s.url, `/api/admin/client/${b.uuid}/token`, { cookie });
      assert.equal(again.json.token, b.token, again.text);
    } finally {
      await s.dispose();
    }
  });

  it('a flush that keeps failing is logged once, and once more when it works again', async () => {
    const log = new LogCapture();
    const fastify = Fastify({ logger: { stream: log } });
    const schedule = new EngineSchedule('history', fastify.log, { flushEveryMs: 10, pruneEveryMs: 60_000, retryMaxDelayMs: 40, stopStallMs: 1000 });
    let calls = 0;
    let failing = true;
    const flush = () =>
      schedule.flush(async () => {
        calls++;
        if (failing) throw new Error('database or disk is full');
      });
    await schedule.start(flush, async () => 0);
    try {
      await eventually(() => calls >= 6);
      assert.equal(log.matching('history flush failed').length, 1);
      failing = false;
      await eventually(() => log.matching('history flush works again').length === 1);
      assert.equal(log.matching('history flush failed').length, 1);
    } finally {
      await schedule.stop(async () => undefined, () => 0);
      await fastify.close();
    }
  });
});
