import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { systemClock } from '../src/clock.ts';
import { AppError } from '../src/errors.ts';
import { importKomari, type KomariHistoryImport } from '../src/import/komari/import-komari.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { NodeRow, Store } from '../src/store/types.ts';
import { sample, writeKomariDb } from './fixtures/komari-schemas/generate.ts';
import { dumpStore } from './helpers/store-dump.ts';

// A server with nodes of its own: the import is refused unless asked to merge; a merge keeps
// every row and value the server has, adds the rest, maps Komari's ping task ids onto free ones,
// and never changes an existing node's token (the skip says so).

const ownNode = (uuid: string, token: string): NodeRow => ({
  uuid, token, name: 'own', cpu_name: '', virtualization: '', arch: '', cpu_cores: 0, cpu_physical_cores: 0, os: '', kernel_version: '',
  gpu_name: '', ipv4: '', ipv6: '', region: '', remark: '', public_remark: '', mem_total: 0, swap_total: 0, disk_total: 0, version: '',
  weight: 0, price: 0, billing_cycle: 0, auto_renewal: false, currency: '$', expired_at: null, group: '', tags: '', hidden: false,
  traffic_limit: 0, traffic_limit_type: 'max', created_at: 1, updated_at: 1,
});

describe('import into a server that has nodes', () => {
  let dir: string;
  let komariDb: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'komari-merge-'));
    komariDb = join(dir, 'source.db');
    writeKomariDb(komariDb, '1.4.3');
    store = openSqliteStore(join(dir, 'komari.db'));
    await store.nodes.create(ownNode('11111111-0000-4000-8000-000000000001', 'OwnTokenOwnTokenOwn001'));
    // Komari's node A is here already under another token; Komari's node B's token is held by another node
    await store.nodes.create(ownNode(sample.nodeA.uuid, 'OwnTokenForNodeA000001'));
    await store.nodes.create(ownNode('22222222-0000-4000-8000-000000000002', sample.nodeB.token));
    await store.ping.tasks.create({ name: 'own-task', clients: [sample.nodeA.uuid], defaultOn: false, type: 'icmp', target: '9.9.9.9', interval: 30 });
    await store.settings.setMany({ sitename: 'Ours' });
    await store.themeConfigs.set('aurora', { headline: 'Ours' });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused without merge, with the reason, and changes nothing', async () => {
    const before = await dumpStore(store);
    await assert.rejects(
      importKomari({ komariDb }, store, { clock: systemClock }),
      (err: unknown) => err instanceof AppError && /refusing to import into a server that already has nodes \(3 not from this Komari database\) unless asked to merge/.test(err.message),
    );
    assert.deepEqual(await dumpStore(store), before);
  });

  it('merges: keeps the server\'s nodes, tokens and values, adds Komari\'s, maps ping task ids, hands the history step the mapping', async () => {
    let seen: { clients: string[]; tasks: Array<[number, number]> } | undefined;
    const history: KomariHistoryImport = async (input, _store, report) => {
      seen = { clients: [...input.clientUuids], tasks: [...input.pingTaskIds] };
      report.count('loadPoints', 0);
    };
    const report = await importKomari({ komariDb }, store, { clock: systemClock, merge: true, history });
    assert.equal(report.mode, 'merge');
    const skipped = report.skipped.filter((s) => s.kind === 'nodes');
    assert.deepEqual(skipped, [
      { kind: 'nodes', id: sample.nodeA.uuid, reason: "a node with this uuid exists here with another token: kept it and its token (agents using Komari's token are refused until you set it)" },
      { kind: 'nodes', id: sample.nodeB.uuid, reason: 'its token belongs to node 22222222-0000-4000-8000-000000000002 here: left out (a token names one node)' },
    ]);
    assert.equal((await store.nodes.get(sample.nodeA.uuid))!.token, 'OwnTokenForNodeA000001');
    assert.equal((await store.settings.all()).sitename, 'Ours');
    assert.ok(report.skipped.some((s) => s.kind === 'settings' && s.id === 'sitename' && s.reason === "kept this server's value"));
    const tasks = await store.ping.tasks.list();
    assert.deepEqual(tasks.map((t) => t.name), ['own-task', 'icmp-a']);
    const komariTask = tasks.find((t) => t.name === 'icmp-a')!;
    assert.equal(komariTask.id, 2, 'a merge gives Komari\'s task 4 the next id here');
    assert.deepEqual(seen, { clients: [], tasks: [[4, komariTask.id]] });
    assert.equal((await store.nodes.list()).length, 3, 'no Komari node came: both collided');
    assert.deepEqual(Object.fromEntries(await store.themeConfigs.all()), { aurora: { headline: 'Ours' }, other: { x: 1 } }, "a theme's saved settings here are kept, the others added");
    assert.ok(report.skipped.some((s) => s.kind === 'themeSettings' && s.id === 'aurora' && s.reason === "kept this server's value"));
  });

  it('merging again changes nothing', async () => {
    const before = await dumpStore(store);
    const again = await importKomari({ komariDb }, store, { clock: systemClock, merge: true });
    assert.deepEqual(again.imported, {});
    assert.deepEqual(await dumpStore(store), before);
  });
});
