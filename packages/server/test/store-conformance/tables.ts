import assert from 'node:assert/strict';
import { it } from 'node:test';
import { storeTables, type ColumnKind } from '../../src/store/table-catalog.ts';
import type { Store, TableRow, TableStore } from '../../src/store/types.ts';
import { populateEveryTable, type Repositories } from '../helpers/populate-store.ts';
import { dumpStore } from '../helpers/store-dump.ts';
import type { Engine, OpenedEngine } from './engines.ts';
import { nodeRow } from './nodes.ts';

/** The declared types a catalog kind may have in each engine's schema. */
const declared: Record<Engine['name'], Record<ColumnKind, string[]>> = {
  sqlite: { text: ['text'], int: ['integer'], bool: ['integer'], real: ['real', 'integer'] },
  postgres: { text: ['text'], int: ['bigint', 'bigint identity'], bool: ['boolean'], real: ['double precision'] },
};
/** Each engine's bookkeeping, which a copy leaves alone (each target migrates itself). */
const ownTables = new Set(['schema_migrations', 'sqlite_sequence']);
const now = 1_767_225_600_000;
const end = 2 ** 52;

async function readAll(t: TableStore, size: number): Promise<Map<string, TableRow[]>> {
  return t.reading(async (r) => {
    const out = new Map<string, TableRow[]>();
    for (const spec of storeTables) {
      const rows: TableRow[] = [];
      for await (const batch of r.batches(spec.name, size)) {
        assert.ok(batch.length > 0 && batch.length <= size, `${spec.name}: a batch of ${batch.length}`);
        rows.push(...batch);
      }
      out.set(spec.name, rows);
    }
    return out;
  });
}

/** Every table of `from` into `to`, the way `komari migrate` copies (migrate/copy-tables.ts). */
async function copy(from: TableStore, to: TableStore, size: number): Promise<void> {
  await from.reading((r) =>
    to.writing(async (w) => {
      for (const spec of storeTables) for await (const batch of r.batches(spec.name, size)) await w.insert(spec.name, batch);
      await w.keepIdCounters(await r.idCounters());
    }),
  );
}

/** TableStore: every table as rows, the same on both engines, so a copy between them loses nothing. */
export function tablesSuite(engine: Engine['name'], open: () => Promise<OpenedEngine>): void {
  async function withTwo(fn: (a: Repositories, b: Repositories) => Promise<void>): Promise<void> {
    const [a, b] = [await open(), await open()];
    try {
      await fn(a.repos as Repositories, b.repos as Repositories);
    } finally {
      await a.close();
      await b.close();
    }
  }

  it("the catalog names every table and column of this engine's schema, with matching types", async () => {
    const e = await open();
    try {
      const schema = await e.schema();
      const tables = [...schema.keys()].filter((t) => !ownTables.has(t)).sort();
      assert.deepEqual(tables, storeTables.map((t) => t.name).sort(), 'a table missing from store/table-catalog.ts would not be migrated');
      for (const spec of storeTables) {
        const columns = schema.get(spec.name)!;
        for (const [column, kind] of Object.entries(spec.columns)) {
          assert.ok(declared[engine][kind].includes(columns.get(column) ?? '(none)'), `${spec.name}.${column}: ${columns.get(column)} for ${kind}`);
        }
        // PostgreSQL's own `seq` (its rowid) is the only column the catalog may leave out
        const extra = [...columns.keys()].filter((c) => !(c in spec.columns));
        assert.deepEqual(extra, engine === 'postgres' && extra.length ? ['seq'] : [], `${spec.name}: columns not in the catalog`);
        if (extra.length) assert.equal(columns.get('seq'), 'bigint identity', spec.name);
        if (spec.idColumn && engine === 'postgres') assert.equal(columns.get(spec.idColumn), 'bigint identity', spec.name);
      }
    } finally {
      await e.close();
    }
  });

  it('a copy carries every row of every table, in order, with ids and values exact', () =>
    withTwo(async (a, b) => {
      const made = await populateEveryTable(a, now);
      const before = await a.tables.counts();
      for (const [table, n] of before) assert.ok(n > 0, `${table} has rows to copy`);
      await copy(a.tables, b.tables, 7);
      assert.deepEqual(await b.tables.counts(), before);
      assert.deepEqual(await readAll(b.tables, 1000), await readAll(a.tables, 3));
      // through the repositories too: list orders (nodes, the first account), decoded values
      assert.deepEqual(await dumpStore(b as Store), await dumpStore(a as Store));
      assert.equal((await b.accounts.first())?.username, 'p-zed');
      assert.deepEqual(await b.alerts.channels(), await a.alerts.channels());
      assert.deepEqual(await b.alerts.openRecords(), await a.alerts.openRecords());
      for (const node of made.nodes) assert.deepEqual(await b.history.range(node, 60, 0, end), await a.history.range(node, 60, 0, end));
      assert.deepEqual(await b.ping.history.range({}, 60, 0, end), await a.ping.history.range({}, 60, 0, end));
    }));

  it('after a copy, no id is handed out twice, not even a deleted row’s', () =>
    withTwo(async (a, b) => {
      const made = await populateEveryTable(a, now);
      const clipIds = (await a.clipboard.list()).map((c) => c.id);
      await copy(a.tables, b.tables, 100);
      const channel = await b.alerts.addChannel({ kind: 'webhook', name: 'new', config: {}, enabled: true, template: '' }, now);
      assert.ok(channel > made.deletedChannelId, `channel ${channel} after the deleted ${made.deletedChannelId}`);
      const clip = (await b.clipboard.create({ text: 'x', name: 'x', weight: 0, remark: '' }, now, 100))!;
      assert.ok(clip.id > Math.max(...clipIds) + 1, 'the deleted entry’s id is not reused');
      await b.audit.add({ ip: '', uuid: '', message: 'after', msgType: 'info', time: now + 1 });
      const ids = (await b.audit.list({ limit: 100, offset: 0 })).map((x) => x.id);
      assert.equal(new Set(ids).size, ids.length);
      assert.ok((await b.ping.tasks.create({ name: 'n', clients: [], defaultOn: false, type: 'tcp', target: 'x:1', interval: 5 })) > 1);
      await b.nodes.create(nodeRow('fresh-node'));
      await b.history.write([{ ...(await a.history.range(made.nodes[0]!, 60, 0, end))[0]!, node: 'fresh-node' }]);
      assert.equal((await b.history.range('fresh-node', 60, 0, end)).length, 1);
      await b.ping.history.write([{ task: 99, node: 'fresh-node', width: 60, start: 0, sent: 1, lost: 0, sum: 1, min: 1, max: 1, last: 1, lastAt: 1 }]);
      assert.equal((await b.ping.history.range({ task: 99 }, 60, 0, end)).length, 1);
    }));

  it('batches hold at most the asked number of rows; an empty table gives none', () =>
    withTwo(async (a) => {
      for (let i = 0; i < 5; i++) await a.audit.add({ ip: '', uuid: '', message: `m${i}`, msgType: 'info', time: i });
      const sizes = await a.tables.reading(async (r) => {
        const out: number[][] = [];
        for (const table of ['audit_log', 'clipboards']) {
          const seen: number[] = [];
          for await (const batch of r.batches(table, 2)) seen.push(batch.length);
          out.push(seen);
        }
        return out;
      });
      assert.deepEqual(sizes, [[2, 2, 1], []]);
    }));

  it('values cross as the catalog kinds: flags as booleans, integers past 2^53 as exact bigints, null as null', () =>
    withTwo(async (a) => {
      const spec = storeTables.find((t) => t.name === 'clients')!;
      const row = Object.keys(spec.columns).map((c) => Object.entries(nodeRow('big')).find(([k]) => k === c)?.[1] ?? 7) as TableRow;
      const col = (name: string) => Object.keys(spec.columns).indexOf(name);
      row[col('mem_total')] = 2n ** 62n + 1n;
      row[col('expired_at')] = null;
      row[col('price')] = 0.1 + 0.2;
      await a.tables.writing((w) => w.insert('clients', [row]));
      const [got] = (await readAll(a.tables, 10)).get('clients')!;
      assert.deepEqual(got, row);
      assert.equal(got![col('hidden')], true);
    }));

  it('a writer that throws, or a row that breaks a key, leaves nothing written', () =>
    withTwo(async (a) => {
      const row = (key: string): TableRow => [key, '"v"'];
      await assert.rejects(a.tables.writing(async (w) => {
        await w.insert('settings', [row('a'), row('b')]);
        assert.equal(await w.count('settings'), 2);
        throw new Error('stop here');
      }), /stop here/);
      await assert.rejects(a.tables.writing((w) => w.insert('settings', [row('a'), row('a')])));
      assert.equal((await a.tables.counts()).get('settings'), 0);
      assert.deepEqual(await a.settings.all(), {});
      await assert.rejects(a.tables.reading((r) => r.count('sqlite_master')), /no such store table/);
    }));
}
