import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { blankNode } from '../src/methods/nodes-admin.ts';
import { cachedNodes } from '../src/store/cached-nodes.ts';
import { DatabaseSync } from 'node:sqlite';
import { migrate } from '../src/store/sqlite/migrations.ts';
import { sqliteNodes } from '../src/store/sqlite/nodes.ts';
import type { NodeStore } from '../src/store/types.ts';

describe('the in-memory node rows in front of SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-nodes-'));
  const sqlite = new DatabaseSync(join(dir, 'komari.db'));
  migrate(sqlite);
  after(() => {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // The real SQLite node store, counting the reads that reach it.
  const db = sqliteNodes(sqlite);
  const reads = { list: 0, get: 0, byToken: 0 };
  const counted: NodeStore = {
    ...db,
    list: () => (reads.list++, db.list()),
    get: (u) => (reads.get++, db.get(u)),
    byToken: (t) => (reads.byToken++, db.byToken(t)),
  };
  const nodes = cachedNodes(counted);

  it('answers token and uuid lookups from memory after one load', async () => {
    const a = blankNode('uuid-a', 'a', 1);
    const b = blankNode('uuid-b', 'b', 2);
    await nodes.create(a);
    await nodes.create(b);
    const before = { ...reads };
    for (let i = 0; i < 1000; i++) {
      assert.equal((await nodes.byToken(b.token))?.uuid, 'uuid-b');
      assert.equal((await nodes.get('uuid-a'))?.name, 'a');
    }
    assert.deepEqual(reads, before, 'no lookup reached SQLite');
    assert.deepEqual((await nodes.list()).map((n) => n.uuid), ['uuid-a', 'uuid-b']);
  });

  it('a token change takes effect at once: the old token is refused, the new one accepted', async () => {
    const a = await nodes.get('uuid-a');
    await nodes.update('uuid-a', { token: 'new-token-123', name: 'renamed' });
    assert.equal(await nodes.byToken(a!.token), undefined);
    assert.equal((await nodes.byToken('new-token-123'))?.name, 'renamed');
    // and the copy matches what SQLite holds
    assert.deepEqual(await nodes.get('uuid-a'), await db.get('uuid-a'));
  });

  it('a failed write (duplicate token) leaves memory as SQLite has it', async () => {
    const b = await nodes.get('uuid-b');
    await assert.rejects(nodes.update('uuid-b', { token: 'new-token-123' }));
    assert.equal((await nodes.byToken(b!.token))?.uuid, 'uuid-b');
    assert.equal((await nodes.byToken('new-token-123'))?.uuid, 'uuid-a');
  });

  it('hands out copies, so a caller cannot change what others read', async () => {
    const a = await nodes.get('uuid-a');
    a!.hidden = true;
    (await nodes.list())[0]!.name = 'mutated';
    assert.equal((await nodes.get('uuid-a'))?.hidden, false);
    assert.equal((await nodes.get('uuid-a'))?.name, 'renamed');
  });

  it('weights and removal are reflected, and a removed node\'s token is refused', async () => {
    await nodes.setWeights(new Map([['uuid-a', 5], ['uuid-b', 1], ['nope', 3]]), 10);
    assert.equal((await nodes.get('uuid-a'))?.weight, 5);
    assert.equal((await nodes.get('uuid-b'))?.weight, 1);
    const b = await nodes.get('uuid-b');
    assert.equal(await nodes.remove('uuid-b'), true);
    assert.equal(await nodes.byToken(b!.token), undefined);
    assert.equal(await nodes.get('uuid-b'), undefined);
    assert.deepEqual((await nodes.list()).map((n) => n.uuid), ['uuid-a']);
    assert.equal(await nodes.remove('uuid-b'), false);
  });
});

describe('the node rows in front of a database other servers write too', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-nodes-shared-'));
  const sqlite = new DatabaseSync(join(dir, 'komari.db'));
  migrate(sqlite);
  after(() => {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // `db` stands for the other replica: it writes rows this cache never saw
  const db = sqliteNodes(sqlite);
  const reads = { byToken: 0 };
  const counted: NodeStore = { ...db, byToken: (t) => (reads.byToken++, db.byToken(t)) };

  it('finds a node another server added by its token, once, then from memory', async () => {
    const nodes = cachedNodes(counted, { tokenMissReadsPerSecond: 5 });
    await nodes.list();
    const added = blankNode('uuid-elsewhere', 'elsewhere', 1);
    await db.create(added);
    assert.equal((await nodes.byToken(added.token))?.uuid, 'uuid-elsewhere');
    const before = reads.byToken;
    assert.equal((await nodes.byToken(added.token))?.uuid, 'uuid-elsewhere');
    assert.equal(reads.byToken, before, 'the second lookup is answered from memory');
  });

  it('asks the database about unknown tokens at most the given number of times a second', async () => {
    const nodes = cachedNodes(counted, { tokenMissReadsPerSecond: 5 });
    await nodes.list();
    const before = reads.byToken;
    for (let i = 0; i < 200; i++) assert.equal(await nodes.byToken(`wrong-${i}`), undefined);
    // the loop may straddle a second's edge: two windows at most
    assert.ok(reads.byToken - before <= 10, `${reads.byToken - before} reads reached the database`);
    assert.ok(reads.byToken - before >= 5);
  });

  it('without the option (one server owns the file) an unknown token never reaches the database', async () => {
    const nodes = cachedNodes(counted);
    await nodes.list();
    const before = reads.byToken;
    await db.create(blankNode('uuid-unseen', 'unseen', 2));
    assert.equal(await nodes.byToken((await db.get('uuid-unseen'))!.token), undefined);
    assert.equal(reads.byToken, before);
  });

  it('a lookup that raced an invalidate answers from the list it read, not from a stale copy', async () => {
    const nodes = cachedNodes(db);
    await nodes.list();
    const added = blankNode('uuid-raced', 'raced', 3);
    await db.create(added);
    nodes.invalidate!();
    const lookup = nodes.byToken(added.token);
    nodes.invalidate!();
    assert.equal((await lookup)?.uuid, 'uuid-raced');
  });
});
