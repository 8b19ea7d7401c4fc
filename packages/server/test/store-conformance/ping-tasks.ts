import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PingTaskFields, PingTaskStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';

const fields = (name: string, over: Partial<PingTaskFields> = {}): PingTaskFields => ({
  name,
  clients: ['n1', 'n2'],
  defaultOn: false,
  type: 'icmp',
  target: `${name}.example`,
  interval: 60,
  ...over,
});

const bad = [0, -1, 1.5, Number.NaN, 2 ** 60];

/** PingTaskStore: Komari's ping_tasks, weight = id on create, all-or-nothing batch writes. */
export function pingTasksSuite(open: () => Promise<OpenedEngine>): void {
  async function withTasks(fn: (t: PingTaskStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.ping!.tasks);
    } finally {
      await e.close();
    }
  }

  it('create returns a fresh id, weight = id; list reads every field back ordered by weight, then id', () =>
    withTasks(async (t) => {
      assert.deepEqual(await t.list(), []);
      const a = await t.create(fields('a', { defaultOn: true, clients: [], type: 'tcp', interval: 5 }));
      const b = await t.create(fields('b', { clients: ['服务器', "'; DROP TABLE ping_tasks; --"] }));
      assert.ok(Number.isSafeInteger(a) && a > 0 && b > a);
      assert.deepEqual(await t.list(), [
        { id: a, weight: a, ...fields('a', { defaultOn: true, clients: [], type: 'tcp', interval: 5 }) },
        { id: b, weight: b, ...fields('b', { clients: ['服务器', "'; DROP TABLE ping_tasks; --"] }) },
      ]);
      assert.deepEqual(await t.setWeights(new Map([[a, 7], [b, 7]])), []);
      assert.deepEqual((await t.list()).map((r) => r.id), [a, b]);
      assert.deepEqual(await t.setWeights(new Map([[a, 9]])), []);
      assert.deepEqual((await t.list()).map((r) => [r.id, r.weight]), [[b, 7], [a, 9]]);
    }));

  it('ids are not reused after a delete', () =>
    withTasks(async (t) => {
      await t.create(fields('a'));
      const b = await t.create(fields('b'));
      assert.deepEqual(await t.remove([b]), []);
      assert.ok((await t.create(fields('c'))) > b);
    }));

  it('update overwrites every field but weight; repeated ids: the last wins', () =>
    withTasks(async (t) => {
      const a = await t.create(fields('a'));
      await t.setWeights(new Map([[a, 3]]));
      assert.deepEqual(await t.update([{ id: a, ...fields('x') }, { id: a, ...fields('y', { clients: [], defaultOn: true, interval: 1 }) }]), []);
      assert.deepEqual(await t.list(), [{ id: a, weight: 3, ...fields('y', { clients: [], defaultOn: true, interval: 1 }) }]);
      assert.deepEqual(await t.update([]), []);
    }));

  it('an unknown id in a batch fails the whole call, returns the unknown ids, changes nothing', () =>
    withTasks(async (t) => {
      const a = await t.create(fields('a'));
      const b = await t.create(fields('b'));
      const before = await t.list();
      const unknown = [b + 100, ...bad];
      assert.deepEqual(await t.update([{ id: a, ...fields('x') }, ...unknown.map((id) => ({ id, ...fields('x') }))]), unknown);
      assert.deepEqual(await t.remove([a, b + 100, b + 100, 1.5]), [b + 100, 1.5]);
      assert.deepEqual(await t.setWeights(new Map([[a, 1], [2 ** 60, 1]])), [2 ** 60]);
      assert.deepEqual(await t.list(), before);
      assert.deepEqual(await t.remove([a, a]), []);
      assert.deepEqual((await t.list()).map((r) => r.id), [b]);
      assert.deepEqual(await t.remove([]), []);
    }));

  it('addToDefaultOn appends the node to default-on tasks lacking it; removeClient takes it from every task', () =>
    withTasks(async (t) => {
      const on = await t.create(fields('on', { defaultOn: true, clients: ['n1'] }));
      const has = await t.create(fields('has', { defaultOn: true, clients: ['n9', 'n1'] }));
      const off = await t.create(fields('off', { clients: ['n1', 'n9', 'n1'] }));
      assert.equal(await t.addToDefaultOn('n9'), 1);
      assert.equal(await t.addToDefaultOn('n9'), 0);
      const clients = async () => Object.fromEntries((await t.list()).map((r) => [r.id, r.clients]));
      assert.deepEqual(await clients(), { [on]: ['n1', 'n9'], [has]: ['n9', 'n1'], [off]: ['n1', 'n9', 'n1'] });
      assert.equal(await t.removeClient('n1'), 3);
      assert.deepEqual(await clients(), { [on]: ['n9'], [has]: ['n9'], [off]: ['n9'] });
      assert.equal(await t.removeClient('nobody'), 0);
    }));

  it('insert keeps the given id and weight, refuses a taken id; later creates pass the imported id', () =>
    withTasks(async (t) => {
      const a = await t.create(fields('a'));
      assert.equal(await t.insert({ id: 50, weight: -2, ...fields('imp', { defaultOn: true }) }), true);
      assert.equal(await t.insert({ id: a, weight: 1, ...fields('dup') }), false);
      assert.equal(await t.insert({ id: 50, weight: 1, ...fields('dup') }), false);
      assert.equal(await t.insert({ id: 10, weight: 0, ...fields('low') }), true);
      assert.deepEqual((await t.list()).map((r) => [r.id, r.weight, r.name]), [[50, -2, 'imp'], [10, 0, 'low'], [a, a, 'a']]);
      assert.equal(await t.create(fields('c')), 51);
    }));
}
