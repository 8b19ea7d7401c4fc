import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { AlertStore, ChannelFields, DeliveryResult, LoadRuleFields, NewAlertRecord, PingRuleFields } from '../../src/alerts/store/types.ts';
import type { OpenedEngine } from './engines.ts';

const N1 = '11111111-1111-4111-8111-111111111111';
const N2 = '22222222-2222-4222-8222-222222222222';
const N3 = '33333333-3333-4333-8333-333333333333';
/** Ids no row has: far off, zero, negative, fractional, not a number, past 2^53. */
const impossibleIds = (known: number) => [known + 1000, 0, -1, 1.5, Number.NaN, 2 ** 60];

const quiet = { start: '23:00', end: '07:00', after: 'summary' as const };

const loadFields = (name: string, over: Partial<LoadRuleFields> = {}): LoadRuleFields => ({
  name,
  clients: [N1, N2],
  metric: 'cpu',
  threshold: 92.5,
  ratio: 0.75,
  interval: 10,
  consecutive: 3,
  reminderMinutes: 30,
  notifyResolved: false,
  channels: [2, 5],
  quiet,
  ...over,
});

const pingFields = (name: string, over: Partial<PingRuleFields> = {}): PingRuleFields => ({
  name,
  enabled: true,
  taskId: 7,
  clients: [],
  lossPercent: 12.5,
  latencyMs: 250.25,
  windowMinutes: 15,
  reminderMinutes: 0,
  notifyResolved: true,
  channels: null,
  quiet: null,
  ...over,
});

const channelFields = (name: string, over: Partial<ChannelFields> = {}): ChannelFields => ({
  kind: 'telegram',
  name,
  config: { bot_token: 'x', chat_id: '42', nested: { a: [1, 2, 'три'] } },
  enabled: true,
  template: '',
  ...over,
});

const record = (over: Partial<NewAlertRecord> = {}): NewAlertRecord => ({
  kind: 'offline',
  ruleId: null,
  node: N1,
  nodes: [{ uuid: N1, name: '节点一 🚀' }],
  event: 'offline',
  message: 'node went away',
  firedAt: 1_700_000_000_000,
  open: true,
  ...over,
});

const result = (channelId: number, ok: boolean, at: number): DeliveryResult => ({
  channelId,
  channel: `ch${channelId}`,
  kind: 'webhook',
  ok,
  error: ok ? '' : 'HTTP 500',
  attempts: ok ? 1 : 3,
  at,
});

/** AlertStore: Komari's sender and rule tables plus komari-ts's channels, history and watcher state. */
export function alertsSuite(open: () => Promise<OpenedEngine>): void {
  async function withAlerts(fn: (a: AlertStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.alerts!);
    } finally {
      await e.close();
    }
  }

  it('sender configs: unknown name is undefined; set inserts then replaces; insertMissing keeps existing rows', () =>
    withAlerts(async (a) => {
      assert.equal(await a.senderConfig('telegram'), undefined);
      await a.setSenderConfig({ name: 'telegram', addition: '{"bot_token":"a"}' });
      assert.deepEqual(await a.senderConfig('telegram'), { name: 'telegram', addition: '{"bot_token":"a"}' });
      await a.setSenderConfig({ name: 'telegram', addition: '{"bot_token":"b"}' });
      assert.deepEqual(await a.senderConfig('telegram'), { name: 'telegram', addition: '{"bot_token":"b"}' });
      await a.insertMissingSenderConfigs([
        { name: 'telegram', addition: '{}' },
        { name: 'email', addition: '{"host":"smtp"}' },
        { name: 'email', addition: '{"host":"second"}' },
      ]);
      assert.deepEqual(await a.senderConfig('telegram'), { name: 'telegram', addition: '{"bot_token":"b"}' });
      assert.deepEqual(await a.senderConfig('email'), { name: 'email', addition: '{"host":"smtp"}' });
      await a.insertMissingSenderConfigs([]);
      assert.equal(await a.senderConfig('Email'), undefined, 'names are case-sensitive');
    }));

  it('offline rules: upsert creates with defaults, later upserts change only the given fields, list in insertion order', () =>
    withAlerts(async (a) => {
      assert.deepEqual(await a.offlineRules(), []);
      await a.upsertOfflineRules([{ client: N2 }, { client: N1, enable: true, gracePeriod: 60, channels: [3], quiet }]);
      assert.deepEqual(await a.offlineRules(), [
        { client: N2, enable: false, gracePeriod: 180, lastNotified: null, channels: null, quiet: null },
        { client: N1, enable: true, gracePeriod: 60, lastNotified: null, channels: [3], quiet },
      ]);
      await a.upsertOfflineRules([{ client: N1, lastNotified: 5000, gracePeriod: undefined }]);
      await a.upsertOfflineRules([{ client: N2, enable: true, channels: [] }]);
      assert.deepEqual(await a.offlineRules(), [
        { client: N2, enable: true, gracePeriod: 180, lastNotified: null, channels: [], quiet: null },
        { client: N1, enable: true, gracePeriod: 60, lastNotified: 5000, channels: [3], quiet },
      ]);
      // null clears: every channel again, no quiet window, never notified
      await a.upsertOfflineRules([{ client: N1, channels: null, quiet: null, lastNotified: null }]);
      assert.deepEqual((await a.offlineRules())[1], { client: N1, enable: true, gracePeriod: 60, lastNotified: null, channels: null, quiet: null });
    }));

  it('offline rules: one upsert is one transaction (a failing row leaves the others unwritten)', () =>
    withAlerts(async (a) => {
      await a.upsertOfflineRules([{ client: N1, enable: true }]);
      await assert.rejects(a.upsertOfflineRules([{ client: N2, enable: true }, { client: N3, gracePeriod: null as unknown as number }]));
      assert.deepEqual((await a.offlineRules()).map((r) => r.client), [N1]);
    }));

  it('offline states: set inserts then replaces, in insertion order', () =>
    withAlerts(async (a) => {
      assert.deepEqual(await a.offlineStates(), []);
      await a.setOfflineState({ client: N2, state: 'pending', since: 10 });
      await a.setOfflineState({ client: N1, state: 'up', since: 20 });
      await a.setOfflineState({ client: N2, state: 'down', since: 30 });
      assert.deepEqual(await a.offlineStates(), [
        { client: N2, state: 'down', since: 30 },
        { client: N1, state: 'up', since: 20 },
      ]);
    }));

  it('traffic report rules: upsert with defaults, partial updates, insertion order', () =>
    withAlerts(async (a) => {
      assert.deepEqual(await a.trafficReportRules(), []);
      await a.upsertTrafficReportRules([{ client: N3, daily: true }, { client: N1 }]);
      await a.upsertTrafficReportRules([{ client: N3, enable: true, monthly: true, daily: undefined }, { client: N2, weekly: true }]);
      assert.deepEqual(await a.trafficReportRules(), [
        { client: N3, enable: true, daily: true, weekly: false, monthly: true },
        { client: N1, enable: false, daily: false, weekly: false, monthly: false },
        { client: N2, enable: false, daily: false, weekly: true, monthly: false },
      ]);
      await a.upsertTrafficReportRules([{ client: N3, daily: false }]);
      assert.equal((await a.trafficReportRules())[0]!.daily, false);
    }));

  it('load rules: add returns increasing ids and reads back every field; list by id; ids not reused', () =>
    withAlerts(async (a) => {
      assert.deepEqual(await a.loadRules(), []);
      const id1 = await a.addLoadRule(loadFields('cpu high'));
      const id2 = await a.addLoadRule(loadFields('内存', { metric: 'ram', clients: [], channels: null, quiet: null, notifyResolved: true }));
      assert.ok(Number.isSafeInteger(id1) && id1 > 0 && id2 > id1);
      assert.deepEqual(await a.loadRules(), [
        { id: id1, ...loadFields('cpu high'), lastNotified: null },
        { id: id2, ...loadFields('内存', { metric: 'ram', clients: [], channels: null, quiet: null, notifyResolved: true }), lastNotified: null },
      ]);
      assert.equal(await a.deleteLoadRules([id2]), 1);
      const id3 = await a.addLoadRule(loadFields('again'));
      assert.ok(id3 > id2);
      assert.deepEqual((await a.loadRules()).map((r) => r.id), [id1, id3]);
    }));

  it('load rules: edit applies partial patches; an unknown id changes nothing at all and is returned', () =>
    withAlerts(async (a) => {
      const id1 = await a.addLoadRule(loadFields('a'));
      const id2 = await a.addLoadRule(loadFields('b'));
      assert.deepEqual(await a.editLoadRules([{ id: id1, threshold: 50, clients: [N3], channels: null }, { id: id2, name: 'bee', quiet: null }, { id: id2 }]), []);
      const [r1, r2] = await a.loadRules();
      assert.deepEqual(r1, { id: id1, ...loadFields('a', { threshold: 50, clients: [N3], channels: null }), lastNotified: null });
      assert.deepEqual(r2, { id: id2, ...loadFields('bee', { quiet: null }), lastNotified: null });
      for (const bad of impossibleIds(id2)) {
        assert.deepEqual(await a.editLoadRules([{ id: id1, name: 'changed' }, { id: bad, name: 'x' }]), [bad], String(bad));
      }
      assert.deepEqual(await a.loadRules(), [r1, r2]);
      assert.deepEqual(await a.editLoadRules([]), []);
    }));

  it('load rules: delete counts the rules that were there (duplicates and unknown ids count nothing); setLoadRuleNotified', () =>
    withAlerts(async (a) => {
      const id1 = await a.addLoadRule(loadFields('a'));
      const id2 = await a.addLoadRule(loadFields('b'));
      await a.setLoadRuleNotified(id2, 123_456);
      for (const bad of impossibleIds(id2)) await a.setLoadRuleNotified(bad, 1);
      assert.deepEqual((await a.loadRules()).map((r) => r.lastNotified), [null, 123_456]);
      assert.equal(await a.deleteLoadRules([]), 0);
      assert.equal(await a.deleteLoadRules(impossibleIds(id2)), 0);
      assert.equal(await a.deleteLoadRules([id1, id1, id2 + 1000]), 1);
      assert.equal(await a.deleteLoadRules([id1]), 0);
      assert.deepEqual((await a.loadRules()).map((r) => r.name), ['b']);
    }));

  it('ping rules: add, read back, partial edit, all-or-nothing unknown ids, delete counts', () =>
    withAlerts(async (a) => {
      assert.deepEqual(await a.pingRules(), []);
      const id1 = await a.addPingRule(pingFields('loss'));
      const id2 = await a.addPingRule(pingFields('延迟', { enabled: false, clients: [N1], channels: [1], quiet: { start: '01:00', end: '02:00', after: 'drop' } }));
      assert.ok(Number.isSafeInteger(id1) && id2 > id1);
      const p1 = { id: id1, ...pingFields('loss') };
      const p2 = { id: id2, ...pingFields('延迟', { enabled: false, clients: [N1], channels: [1], quiet: { start: '01:00', end: '02:00', after: 'drop' } }) };
      assert.deepEqual(await a.pingRules(), [p1, p2]);
      assert.deepEqual(await a.editPingRules([{ id: id1, enabled: false, latencyMs: 0, taskId: 9 }]), []);
      const e1 = { ...p1, enabled: false, latencyMs: 0, taskId: 9 };
      assert.deepEqual(await a.pingRules(), [e1, p2]);
      for (const bad of impossibleIds(id2)) {
        assert.deepEqual(await a.editPingRules([{ id: id2, name: 'x' }, { id: bad, name: 'y' }, { id: bad }]), [bad, bad], String(bad));
      }
      assert.deepEqual(await a.pingRules(), [e1, p2]);
      assert.equal(await a.deletePingRules([id2, id2, 1.5, -1]), 1);
      assert.deepEqual(await a.pingRules(), [e1]);
    }));

  it('channels: add stamps createdAt and keeps the config object; list by id; edit and delete report unknown ids', () =>
    withAlerts(async (a) => {
      assert.deepEqual(await a.channels(), []);
      const id1 = await a.addChannel(channelFields('tg'), 1000);
      const id2 = await a.addChannel(channelFields('hook', { kind: 'webhook', config: {}, enabled: false, template: '{{message}} ✓' }), 2000);
      assert.ok(Number.isSafeInteger(id1) && id2 > id1);
      const c1 = { id: id1, ...channelFields('tg'), createdAt: 1000 };
      const c2 = { id: id2, ...channelFields('hook', { kind: 'webhook', config: {}, enabled: false, template: '{{message}} ✓' }), createdAt: 2000 };
      assert.deepEqual(await a.channels(), [c1, c2]);
      assert.equal(await a.editChannel(id1, { name: 'telegram', config: { chat_id: '-100' }, enabled: false }), true);
      const e1 = { ...c1, name: 'telegram', config: { chat_id: '-100' }, enabled: false };
      assert.equal(await a.editChannel(id2, {}), true, 'an empty patch of a known channel is a success');
      assert.deepEqual(await a.channels(), [e1, c2]);
      for (const bad of impossibleIds(id2)) {
        assert.equal(await a.editChannel(bad, { name: 'x' }), false, String(bad));
        assert.equal(await a.editChannel(bad, {}), false, String(bad));
        assert.equal(await a.deleteChannel(bad), false, String(bad));
      }
      assert.deepEqual(await a.channels(), [e1, c2]);
      assert.equal(await a.deleteChannel(id1), true);
      assert.equal(await a.deleteChannel(id1), false);
      const id3 = await a.addChannel(channelFields('next'), 3000);
      assert.ok(id3 > id2, 'ids are not reused');
      assert.deepEqual((await a.channels()).map((c) => c.id), [id2, id3]);
    }));

  it('records: add returns increasing ids; open ones listed by id; resolve closes and stamps; unknown ids change nothing', () =>
    withAlerts(async (a) => {
      assert.deepEqual(await a.openRecords(), []);
      const r1 = await a.addRecord(record());
      const r2 = await a.addRecord(record({ kind: 'login', node: '', nodes: [], event: 'login', open: false, ruleId: null, firedAt: 5 }));
      const r3 = await a.addRecord(record({ kind: 'load', ruleId: 42, node: N2, nodes: [{ uuid: N2, name: 'b' }], event: 'load', firedAt: 9 }));
      assert.ok(r1 > 0 && r2 > r1 && r3 > r2);
      const rec1 = { id: r1, ...record(), resolvedAt: null, results: [] };
      const rec3 = { id: r3, ...record({ kind: 'load', ruleId: 42, node: N2, nodes: [{ uuid: N2, name: 'b' }], event: 'load', firedAt: 9 }), resolvedAt: null, results: [] };
      assert.deepEqual(await a.openRecords(), [rec1, rec3]);
      await a.resolveRecord(r1, 7000);
      for (const bad of impossibleIds(r3)) {
        await a.resolveRecord(bad, 1);
        await a.appendResults(bad, [result(1, true, 1)]);
      }
      assert.deepEqual(await a.openRecords(), [rec3]);
      const { items } = await a.records({ limit: 10, offset: 0 });
      assert.deepEqual(items.find((r) => r.id === r1), { ...rec1, open: false, resolvedAt: 7000 });
      assert.ok(items.every((r) => r.results.length === 0));
    }));

  it('records: appendResults adds to what is there, in order; appends at once all land', () =>
    withAlerts(async (a) => {
      const id = await a.addRecord(record());
      await a.appendResults(id, [result(0, true, 1), result(3, false, 2)]);
      await a.appendResults(id, []);
      await a.appendResults(id, [result(4, true, 3)]);
      assert.deepEqual((await a.openRecords())[0]!.results, [result(0, true, 1), result(3, false, 2), result(4, true, 3)]);
      await Promise.all(Array.from({ length: 8 }, (_, i) => a.appendResults(id, [result(10 + i, true, 10 + i)])));
      const all = (await a.openRecords())[0]!.results;
      assert.equal(all.length, 11);
      assert.deepEqual(new Set(all.map((r) => r.channelId)), new Set([0, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17]));
    }));

  it('records: newest first, paged by limit and offset, with the total; past the end is empty', () =>
    withAlerts(async (a) => {
      assert.deepEqual(await a.records({ limit: 5, offset: 0 }), { items: [], total: 0 });
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) ids.push(await a.addRecord(record({ message: `m${i}`, open: i % 2 === 0, firedAt: 100 - i })));
      const page1 = await a.records({ limit: 3, offset: 0 });
      assert.equal(page1.total, 7);
      assert.deepEqual(page1.items.map((r) => r.id), [ids[6], ids[5], ids[4]]);
      assert.deepEqual((await a.records({ limit: 3, offset: 6 })).items.map((r) => r.message), ['m0']);
      assert.deepEqual(await a.records({ limit: 3, offset: 7 }), { items: [], total: 7 });
      assert.deepEqual((await a.records({ limit: 0, offset: 0 })).items, []);
      // SQLite's reading of negative bounds: no limit, offset 0
      assert.equal((await a.records({ limit: -1, offset: 0 })).items.length, 7);
      assert.deepEqual((await a.records({ limit: 2, offset: -5 })).items.map((r) => r.id), [ids[6], ids[5]]);
    }));

  it('pruneRecords keeps the newest `keep` and every open record, returning how many went', () =>
    withAlerts(async (a) => {
      assert.equal(await a.pruneRecords(3), 0);
      const ids: number[] = [];
      // open: 0 and 2 (old), closed: 1, 3, 4, 5, 6
      for (let i = 0; i < 7; i++) ids.push(await a.addRecord(record({ message: `m${i}`, open: i === 0 || i === 2 })));
      assert.equal(await a.pruneRecords(-1), 0, 'a negative keep keeps all, as SQLite LIMIT -1');
      assert.equal(await a.pruneRecords(3), 2);
      assert.deepEqual((await a.records({ limit: 100, offset: 0 })).items.map((r) => r.id), [ids[6], ids[5], ids[4], ids[2], ids[0]]);
      assert.equal(await a.pruneRecords(3), 0);
      assert.equal(await a.pruneRecords(0), 3);
      assert.deepEqual((await a.records({ limit: 100, offset: 0 })).items.map((r) => r.id), [ids[2], ids[0]]);
      const next = await a.addRecord(record({ open: false }));
      assert.ok(next > ids[6]!, 'ids are not reused after a prune');
    }));

  it('traffic steps: set inserts then replaces per node, in insertion order', () =>
    withAlerts(async (a) => {
      assert.deepEqual(await a.trafficSteps(), []);
      await a.setTrafficStep(N2, 1_700_000_000_000, 1);
      await a.setTrafficStep(N1, 1_700_000_000_000, 2);
      await a.setTrafficStep(N2, 1_702_000_000_000, 0);
      assert.deepEqual(await a.trafficSteps(), [
        { client: N2, cycleStart: 1_702_000_000_000, step: 0 },
        { client: N1, cycleStart: 1_700_000_000_000, step: 2 },
      ]);
    }));

  it('forgetNode drops the node from every per-node table and closes its open records; others and rules stay', () =>
    withAlerts(async (a) => {
      for (const n of [N1, N2]) {
        await a.upsertOfflineRules([{ client: n, enable: true }]);
        await a.setOfflineState({ client: n, state: 'down', since: 1 });
        await a.upsertTrafficReportRules([{ client: n, daily: true }]);
        await a.setTrafficStep(n, 1, 1);
      }
      const load = await a.addLoadRule(loadFields('only N1', { clients: [N1] }));
      const open1 = await a.addRecord(record({ node: N1, firedAt: 500 }));
      const closed1 = await a.addRecord(record({ node: N1, firedAt: 600 }));
      await a.resolveRecord(closed1, 650);
      const open2 = await a.addRecord(record({ node: N2, firedAt: 700 }));
      await a.forgetNode(N1);
      await a.forgetNode('not-a-node');
      assert.deepEqual((await a.offlineRules()).map((r) => r.client), [N2]);
      assert.deepEqual((await a.offlineStates()).map((r) => r.client), [N2]);
      assert.deepEqual((await a.trafficReportRules()).map((r) => r.client), [N2]);
      assert.deepEqual((await a.trafficSteps()).map((r) => r.client), [N2]);
      assert.deepEqual((await a.openRecords()).map((r) => r.id), [open2]);
      const byId = new Map((await a.records({ limit: 10, offset: 0 })).items.map((r) => [r.id, r]));
      assert.equal(byId.get(open1)!.resolvedAt, 500, 'an open record closes at its firing time');
      assert.equal(byId.get(closed1)!.resolvedAt, 650, 'a resolved record keeps its time');
      assert.deepEqual((await a.loadRules()).map((r) => [r.id, r.clients]), [[load, [N1]]]);
    }));

  it('text round-trips exactly: unicode, quotes, SQL-looking and long strings', () =>
    withAlerts(async (a) => {
      const odd = `'; DROP TABLE alert_history; -- "引号" \\ 🚀 ${'x'.repeat(20_000)}`;
      await a.setSenderConfig({ name: odd, addition: JSON.stringify({ odd }) });
      assert.deepEqual(await a.senderConfig(odd), { name: odd, addition: JSON.stringify({ odd }) });
      const id = await a.addRecord(record({ message: odd, event: odd, nodes: [{ uuid: N1, name: odd }] }));
      const r = (await a.openRecords())[0]!;
      assert.equal(r.id, id);
      assert.equal(r.message, odd);
      assert.equal(r.nodes[0]!.name, odd);
      const ch = await a.addChannel(channelFields(odd, { template: odd, config: { odd } }), 1);
      assert.deepEqual((await a.channels())[0], { id: ch, ...channelFields(odd, { template: odd, config: { odd } }), createdAt: 1 });
    }));
}
