import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreConflict } from '../../src/store/errors.ts';
import type { NodeRow, NodeStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';

/** A complete node row: every column set to something other than its default. */
export function nodeRow(uuid: string, over: Partial<NodeRow> = {}): NodeRow {
  return {
    uuid,
    token: `tok-${uuid}`,
    name: `node ${uuid} 服务器`,
    cpu_name: 'AMD EPYC 7763',
    virtualization: 'kvm',
    arch: 'amd64',
    cpu_cores: 8,
    cpu_physical_cores: 4,
    os: 'Debian 12',
    kernel_version: '6.1.0',
    gpu_name: 'none',
    ipv4: '192.0.2.1',
    ipv6: '2001:db8::1',
    region: '🇯🇵',
    remark: 'private',
    public_remark: 'public',
    mem_total: 17179869184,
    swap_total: 2147483648,
    disk_total: 4_000_000_000_000,
    version: '1.0.0',
    weight: 3,
    price: 12.34,
    billing_cycle: 30,
    auto_renewal: true,
    currency: '¥',
    expired_at: 1_900_000_000_000,
    group: 'prod',
    tags: 'a;b',
    hidden: true,
    traffic_limit: 1_099_511_627_776,
    traffic_limit_type: 'sum',
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_001,
    ...over,
  };
}

/** NodeStore, the raw repository (the server puts cachedNodes() in front of it). */
export function nodesSuite(open: () => Promise<OpenedEngine>): void {
  async function withNodes(fn: (s: NodeStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.nodes!);
    } finally {
      await e.close();
    }
  }

  it('reads back every column of a created node, by uuid and by token', () =>
    withNodes(async (s) => {
      const row = nodeRow('n1');
      await s.create(row);
      assert.deepEqual(await s.get('n1'), row);
      assert.deepEqual(await s.byToken('tok-n1'), row);
    }));

  it('keeps false flags, a null expiry, zeros and empty text as they are', () =>
    withNodes(async (s) => {
      const row = nodeRow('n1', { auto_renewal: false, hidden: false, expired_at: null, weight: 0, price: 0, name: '', tags: '' });
      await s.create(row);
      assert.deepEqual(await s.get('n1'), row);
    }));

  it('a missing uuid or token reads as undefined; an empty store lists nothing', () =>
    withNodes(async (s) => {
      assert.deepEqual(await s.list(), []);
      assert.equal(await s.get('nope'), undefined);
      assert.equal(await s.byToken('nope'), undefined);
      assert.equal(await s.byToken(''), undefined);
    }));

  it('lists in insertion order, whatever the uuids, names and weights', () =>
    withNodes(async (s) => {
      for (const [uuid, weight] of [['zz', 1], ['aa', 9], ['mm', 0]] as const) await s.create(nodeRow(uuid, { weight }));
      assert.deepEqual((await s.list()).map((n) => n.uuid), ['zz', 'aa', 'mm']);
    }));

  it('a duplicate token or uuid is a StoreConflict naming the column; nothing is added', () =>
    withNodes(async (s) => {
      await s.create(nodeRow('n1'));
      await assert.rejects(s.create(nodeRow('n2', { token: 'tok-n1' })), (e) => e instanceof StoreConflict && e.field === 'token');
      await assert.rejects(s.create(nodeRow('n1', { token: 'other' })), (e) => e instanceof StoreConflict && e.field === 'uuid');
      assert.equal((await s.list()).length, 1);
    }));

  it('update sets only the given fields; undefined values, unknown keys and uuid are ignored', () =>
    withNodes(async (s) => {
      const row = nodeRow('n1');
      await s.create(row);
      const patch = { name: 'renamed', hidden: false, price: 0.5, expired_at: null, remark: undefined, nope: 1, uuid: 'n9' };
      assert.equal(await s.update('n1', patch as never), true);
      assert.deepEqual(await s.get('n1'), { ...row, name: 'renamed', hidden: false, price: 0.5, expired_at: null });
      assert.equal(await s.get('n9'), undefined);
    }));

  it('update of an unknown uuid is false; an empty patch says whether the node exists', () =>
    withNodes(async (s) => {
      await s.create(nodeRow('n1'));
      assert.equal(await s.update('nope', { name: 'x' }), false);
      assert.equal(await s.update('nope', {}), false);
      assert.equal(await s.update('n1', {}), true);
      assert.equal(await s.update('n1', { remark: undefined }), true);
      assert.deepEqual(await s.get('n1'), nodeRow('n1'));
    }));

  it('update to a token another node holds is a StoreConflict; the node keeps its token', () =>
    withNodes(async (s) => {
      await s.create(nodeRow('n1'));
      await s.create(nodeRow('n2'));
      await assert.rejects(s.update('n2', { token: 'tok-n1', name: 'x' }), (e) => e instanceof StoreConflict && e.field === 'token');
      assert.deepEqual(await s.get('n2'), nodeRow('n2'));
      assert.equal(await s.update('n2', { token: 'fresh' }), true);
      assert.equal((await s.byToken('fresh'))?.uuid, 'n2');
      assert.equal(await s.byToken('tok-n2'), undefined);
    }));

  it('remove is true once, then false; the others stay in order', () =>
    withNodes(async (s) => {
      for (const u of ['a', 'b', 'c']) await s.create(nodeRow(u));
      assert.equal(await s.remove('b'), true);
      assert.equal(await s.remove('b'), false);
      assert.equal(await s.remove('nope'), false);
      assert.deepEqual((await s.list()).map((n) => n.uuid), ['a', 'c']);
      // a re-created node goes last: the order is insertion, not the uuid's first appearance
      await s.create(nodeRow('b'));
      assert.deepEqual((await s.list()).map((n) => n.uuid), ['a', 'c', 'b']);
    }));

  it('setWeights sets weight and updated_at of known uuids, skips unknown ones, leaves the rest', () =>
    withNodes(async (s) => {
      for (const u of ['a', 'b', 'c']) await s.create(nodeRow(u, { weight: 1 }));
      await s.setWeights(new Map([['a', 10], ['ghost', 5], ['c', -2]]), 1_800_000_000_000);
      const byUuid = new Map((await s.list()).map((n) => [n.uuid, n]));
      assert.deepEqual(byUuid.get('a'), nodeRow('a', { weight: 10, updated_at: 1_800_000_000_000 }));
      assert.deepEqual(byUuid.get('b'), nodeRow('b', { weight: 1 }));
      assert.deepEqual(byUuid.get('c'), nodeRow('c', { weight: -2, updated_at: 1_800_000_000_000 }));
      assert.equal(byUuid.has('ghost'), false);
      await s.setWeights(new Map(), 1);
      assert.equal((await s.get('a'))?.updated_at, 1_800_000_000_000);
    }));

  it('hostile text (quotes, SQL, unicode, long strings) is stored as given', () =>
    withNodes(async (s) => {
      const row = nodeRow(`'; DROP TABLE clients; --`, { name: 'x'.repeat(100_000), group: '"group"', tags: '\\n%_*' });
      await s.create(row);
      assert.deepEqual(await s.get(row.uuid), row);
      assert.deepEqual(await s.byToken(row.token), row);
    }));
}
