import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode } from '../helpers/agent-common.ts';
import { http, rpc, startWithAdmin, type TestServer } from '../helpers/server.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

// Komari's offline and load rule routes (admin-api.md §13, notifications.md §4, §5): the bodies
// Komari's UIs send, its exact error texts, and for every refusal a read-back showing nothing changed.

describe('offline rules (/api/admin/notification/offline)', () => {
  let s: TestServer;
  let cookie: string;
  const nodes: { uuid: string; token: string }[] = [];

  const list = async (): Promise<any[]> => {
    const res = await http(s.url, '/api/admin/notification/offline', { cookie });
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  };
  const post = (verb: string, body: unknown) => http(s.url, `/api/admin/notification/offline/${verb}`, { method: 'POST', cookie, body });
  const rowOf = async (uuid: string) => (await list()).find((r) => r.client === uuid);

  async function refused(verb: string, body: unknown, message: string | RegExp): Promise<void> {
    const before = await list();
    const res = await post(verb, body);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.status, 'error');
    assert.deepEqual(Object.keys(res.json), ['status', 'message']);
    if (typeof message === 'string') assert.equal(res.json.message, message);
    else assert.match(res.json.message, message);
    assert.deepEqual(await list(), before, 'nothing changed');
  }

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    for (const name of ['hk-1', 'sg-2', 'jp-3']) nodes.push(await addNode(s, cookie, name));
  });
  after(() => s.dispose());

  it('edit takes an ARRAY; the rows appear with Komari’s fields and ours; old-UI keys are ignored', async () => {
    const [a, b] = nodes;
    const res = await post('edit', [
      { client: a!.uuid, enable: true, grace_period: 60, cooldown: 1800 },
      { client: b!.uuid, enable: false, grace_period: 300 },
    ]);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    const rowA = await rowOf(a!.uuid);
    assert.deepEqual(Object.keys(rowA).sort(), ['channels', 'client', 'enable', 'grace_period', 'last_notified', 'quiet', 'state', 'state_since'].sort());
    assert.deepEqual(
      { client: rowA.client, enable: rowA.enable, grace_period: rowA.grace_period, last_notified: rowA.last_notified, channels: rowA.channels, quiet: rowA.quiet },
      { client: a!.uuid, enable: true, grace_period: 60, last_notified: null, channels: null, quiet: null },
    );
    assert.equal('cooldown' in rowA, false);
    assert.equal((await rowOf(b!.uuid)).grace_period, 300);
    // A second edit of the same node updates its row, never adds another.
    assert.equal((await post('edit', [{ client: a!.uuid, enable: false, grace_period: 90 }])).status, 200);
    const rows = (await list()).filter((r) => r.client === a!.uuid);
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0].enable, rows[0].grace_period], [false, 90]);
  });

  it('the same list and edit over /api/rpc2 (positional array params)', async () => {
    const [, , c] = nodes;
    const edit = await rpc(s.url, 'admin:editOfflineNotification', [{ client: c!.uuid, enable: true, grace_period: 45 }], { cookie });
    assert.equal(edit.error, undefined, JSON.stringify(edit));
    const got = await rpc(s.url, 'admin:listOfflineNotifications', undefined, { cookie });
    assert.equal(got.result.find((r: any) => r.client === c!.uuid).grace_period, 45);
  });

  it('enable/disable take an array of uuids and change only enable; a new row gets grace 180', async () => {
    const [a, , c] = nodes;
    const extra = await addNode(s, cookie, 'fresh');
    const on = await post('enable', [a!.uuid, extra.uuid]);
    assert.equal(on.status, 200, on.text);
    assert.deepEqual(on.json, { status: 'success', message: '' });
    assert.deepEqual([(await rowOf(a!.uuid)).enable, (await rowOf(a!.uuid)).grace_period], [true, 90]);
    const fresh = await rowOf(extra.uuid);
    assert.deepEqual([fresh.enable, fresh.grace_period], [true, 180]);
    const off = await post('disable', [extra.uuid, c!.uuid]);
    assert.equal(off.status, 200, off.text);
    assert.deepEqual([(await rowOf(extra.uuid)).enable, (await rowOf(extra.uuid)).grace_period], [false, 180]);
    assert.deepEqual([(await rowOf(c!.uuid)).enable, (await rowOf(c!.uuid)).grace_period], [false, 45]);
  });

  it('our extras (channels, quiet) are kept when Komari’s UI edits, enables or disables the row without them', async () => {
    const [, b] = nodes;
    const quiet = { start: '23:00', end: '07:00', after: 'drop' };
    const set = await post('edit', [{ client: b!.uuid, enable: true, grace_period: 300, channels: [0], quiet }]);
    assert.equal(set.status, 200, set.text);
    assert.deepEqual([(await rowOf(b!.uuid)).channels, (await rowOf(b!.uuid)).quiet], [[0], quiet]);
    assert.equal((await post('edit', [{ client: b!.uuid, enable: false, grace_period: 200, cooldown: 1800 }])).status, 200);
    assert.equal((await post('enable', [b!.uuid])).status, 200);
    const row = await rowOf(b!.uuid);
    assert.deepEqual([row.enable, row.grace_period, row.channels, row.quiet], [true, 200, [0], quiet]);
    // Clearing them is explicit: channels null (every channel), quiet null (none).
    assert.equal((await post('edit', [{ client: b!.uuid, enable: true, grace_period: 200, channels: null, quiet: null }])).status, 200);
    assert.deepEqual([(await rowOf(b!.uuid)).channels, (await rowOf(b!.uuid)).quiet], [null, null]);
    // quiet's `after` defaults to a summary.
    assert.equal((await post('edit', [{ client: b!.uuid, enable: true, grace_period: 300, quiet: { start: '01:00', end: '02:00' } }])).status, 200);
    assert.deepEqual((await rowOf(b!.uuid)).quiet, { start: '01:00', end: '02:00', after: 'summary' });
    assert.equal((await post('edit', [{ client: b!.uuid, enable: false, grace_period: 300, quiet: null }])).status, 200);
  });

  it('bad edits are 400 with Komari’s texts and change nothing', async () => {
    const [a, b] = nodes;
    await refused('edit', { client: a!.uuid, enable: true, grace_period: 60 }, /^Invalid request body: /);
    await refused('edit', 'not json at all', 'Invalid or missing request body');
    await refused('edit', [], 'At least one notification is required');
    await refused('edit', [{ client: '', enable: true, grace_period: 60 }], 'Client UUID cannot be empty');
    await refused('edit', [{ client: a!.uuid, enable: true, grace_period: 0 }], 'GracePeriod must be a positive integer');
    await refused('edit', [{ client: a!.uuid, enable: true, grace_period: -5 }], 'GracePeriod must be a positive integer');
    await refused('edit', [{ client: a!.uuid, enable: true }], 'GracePeriod must be a positive integer');
    await refused('edit', [{ client: a!.uuid, enable: true, grace_period: 1.5 }], /^Invalid request body: /);
    await refused('edit', [{ client: a!.uuid, enable: 'yes', grace_period: 60 }], /^Invalid request body: /);
    // One bad item refuses the whole batch: the good one before it is not applied either.
    await refused('edit', [{ client: b!.uuid, enable: true, grace_period: 999 }, { client: 'no-such-node', enable: true, grace_period: 60 }], /no-such-node/);
    await refused('edit', [{ client: b!.uuid, enable: true, grace_period: 999 }, { client: a!.uuid, grace_period: 0 }], 'GracePeriod must be a positive integer');
    await refused('edit', [{ client: a!.uuid, enable: true, grace_period: 60, channels: [99] }], 'Channel not found: 99');
    await refused('edit', [{ client: a!.uuid, enable: true, grace_period: 60, quiet: { start: '25:00', end: '07:00' } }], /^Invalid request body: /);
  });

  it('bad enable/disable bodies are 400 and change nothing', async () => {
    const [a] = nodes;
    await refused('enable', { uuids: [a!.uuid] }, /^Invalid request body: /);
    await refused('enable', [a!.uuid, 'ghost-uuid'], /ghost-uuid/);
    await refused('disable', [a!.uuid, 'ghost-uuid'], /ghost-uuid/);
    await refused('disable', [42], /^Invalid request body: /);
  });
});

describe('load rules (/api/admin/notification/load/)', () => {
  let s: TestServer;
  let cookie: string;
  const nodes: { uuid: string; token: string }[] = [];

  const list = async (path = '/api/admin/notification/load/'): Promise<any[]> => {
    const res = await http(s.url, path, { cookie });
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  };
  const post = (verb: string, body: unknown) => http(s.url, `/api/admin/notification/load/${verb}`, { method: 'POST', cookie, body });
  const ruleOf = async (id: number) => (await list()).find((r) => r.id === id);

  async function refused(verb: string, body: unknown, message: string | RegExp, status = 400): Promise<void> {
    const before = await list();
    const res = await post(verb, body);
    assert.equal(res.status, status, res.text);
    assert.equal(res.json.status, 'error');
    if (typeof message === 'string') assert.equal(res.json.message, message);
    else assert.match(res.json.message, message);
    assert.deepEqual(await list(), before, 'nothing changed');
  }

  const ok = () => ({ name: 'cpu hot', clients: [nodes[0]!.uuid], metric: 'cpu', threshold: 90, ratio: 0.8, interval: 15 });

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    for (const name of ['a', 'b']) nodes.push(await addNode(s, cookie, name));
  });
  after(() => s.dispose());

  it('add answers {task_id}; the list is served with and without the trailing slash', async () => {
    const res = await post('add', ok());
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '', data: { task_id: 1 } });
    const expected = {
      id: 1, name: 'cpu hot', clients: [nodes[0]!.uuid], metric: 'cpu', threshold: 90, ratio: 0.8, interval: 15, last_notified: null,
      consecutive: 1, reminder_minutes: 0, notify_resolved: true, channels: null, quiet: null,
    };
    assert.deepEqual(await list(), [expected]);
    assert.deepEqual(await list('/api/admin/notification/load'), [expected]);
    assert.deepEqual((await rpc(s.url, 'admin:getAllLoadNotifications', undefined, { cookie })).result, [expected]);
    const second = await post('add', { ...ok(), name: 'ram', metric: 'ram', clients: [nodes[0]!.uuid, nodes[1]!.uuid], interval: 240, ratio: 1 });
    assert.deepEqual(second.json.data, { task_id: 2 });
  });

  it('bad adds are 400 with Komari’s texts and add nothing', async () => {
    const req = 'clients, metric, threshold, ratio and interval are required';
    await refused('add', { ...ok(), clients: [] }, req);
    await refused('add', { ...ok(), clients: undefined }, req);
    await refused('add', { ...ok(), metric: '' }, req);
    await refused('add', { ...ok(), threshold: 0 }, req);
    await refused('add', { ...ok(), ratio: 0 }, req);
    // Komari checks "interval ≠ 0" with the required fields, before the range (notifications.md §5).
    await refused('add', { ...ok(), interval: 0 }, req);
    await refused('add', { ...ok(), interval: undefined }, req);
    await refused('add', { ...ok(), interval: 241 }, 'Interval must be between 1 and 240 minutes');
    await refused('add', { ...ok(), interval: -1 }, 'Interval must be between 1 and 240 minutes');
    await refused('add', { ...ok(), ratio: 1.5 }, 'Ratio must be between 0 and 1');
    await refused('add', { ...ok(), ratio: -0.5 }, 'Ratio must be between 0 and 1');
    await refused('add', { ...ok(), clients: [nodes[0]!.uuid, 'ghost'] }, /ghost/);
    await refused('add', { ...ok(), interval: '15' }, /^Invalid request body: /);
    await refused('add', [ok()], /^Invalid request body: /);
    await refused('add', '{oops', 'Invalid or missing request body');
  });

  it('edit {"notifications":[…]} is a partial update that skips zero values', async () => {
    const res = await post('edit', { notifications: [{ id: 1, name: '', threshold: 0, ratio: 0.5, interval: 0, clients: [], metric: '' }] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    const r = await ruleOf(1);
    assert.deepEqual(
      { name: r.name, threshold: r.threshold, ratio: r.ratio, interval: r.interval, clients: r.clients, metric: r.metric },
      { name: 'cpu hot', threshold: 90, ratio: 0.5, interval: 15, clients: [nodes[0]!.uuid], metric: 'cpu' },
    );
    const two = await post('edit', { notifications: [{ id: 1, threshold: 95 }, { id: 2, name: 'ram hot', metric: 'swap' }] });
    assert.equal(two.status, 200, two.text);
    assert.equal((await ruleOf(1)).threshold, 95);
    assert.deepEqual([(await ruleOf(2)).name, (await ruleOf(2)).metric, (await ruleOf(2)).interval], ['ram hot', 'swap', 240]);
  });

  it('edit of an unknown id is 500 "record not found" and the valid id in the same batch is not changed', async () => {
    await refused('edit', { notifications: [{ id: 1, threshold: 50, name: 'changed' }, { id: 999, threshold: 10 }] }, 'record not found', 500);
    assert.equal((await ruleOf(1)).threshold, 95);
    await refused('edit', { notifications: [{ id: 999, threshold: 10 }, { id: 1, threshold: 50 }] }, 'record not found', 500);
  });

  it('our extras on a load rule: set on add, kept by a Komari edit that leaves them out', async () => {
    const add = await post('add', { ...ok(), name: 'extras', consecutive: 3, reminder_minutes: 60, notify_resolved: false, channels: [0], quiet: { start: '22:00', end: '06:00' } });
    assert.equal(add.status, 200, add.text);
    const id = add.json.data.task_id as number;
    const edit = await post('edit', { notifications: [{ id, name: 'extras', clients: [nodes[0]!.uuid], metric: 'cpu', threshold: 70, ratio: 0.8, interval: 15 }] });
    assert.equal(edit.status, 200, edit.text);
    const r = await ruleOf(id);
    assert.deepEqual([r.threshold, r.consecutive, r.reminder_minutes, r.notify_resolved, r.channels, r.quiet], [70, 3, 60, false, [0], { start: '22:00', end: '06:00', after: 'summary' }]);
    await refused('add', { ...ok(), consecutive: 0 }, /^Invalid request body: consecutive/);
    await refused('edit', { notifications: [{ id, reminder_minutes: -1 }] }, /^Invalid request data: /);
    assert.equal((await post('delete', { id: [id] })).status, 200);
  });

  it('edit re-checks the ranges (komari-ts; Komari does not) and bad bodies: 400, nothing changed', async () => {
    await refused('edit', { notifications: [{ id: 1, ratio: 1.5 }] }, 'Ratio must be between 0 and 1');
    await refused('edit', { notifications: [{ id: 1, interval: 241 }] }, 'Interval must be between 1 and 240 minutes');
    await refused('edit', { notifications: [{ id: 1, interval: -3 }] }, 'Interval must be between 1 and 240 minutes');
    await refused('edit', { notifications: [{ id: 2, threshold: 1 }, { id: 1, ratio: 2 }] }, 'Ratio must be between 0 and 1');
    await refused('edit', { notifications: [{ id: 1, clients: ['ghost'] }] }, /ghost/);
    await refused('edit', { notifications: [] }, 'Invalid request data');
    await refused('edit', {}, 'Invalid request data');
    await refused('edit', { notifications: [{ id: 'one', threshold: 5 }] }, /^Invalid request data/);
    await refused('edit', [{ id: 1, threshold: 5 }], /^Invalid request data/);
  });

  it('delete {"id":[…]}; missing ids are 500 "record not found"; {"id":[]} is 400 "id is required"', async () => {
    await refused('delete', { id: [] }, 'id is required');
    await refused('delete', {}, 'id is required');
    await refused('delete', { id: [404] }, 'record not found', 500);
    await refused('delete', { id: 1 }, /^Invalid request body: /);
    const third = (await post('add', ok())).json.data.task_id as number;
    const res = await post('delete', { id: [third] });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'success', message: '' });
    assert.deepEqual((await list()).map((r) => r.id), [1, 2]);
    const viaRpc = await rpc(s.url, 'admin:deleteLoadNotification', { id: [2] }, { cookie });
    assert.deepEqual(viaRpc, { jsonrpc: '2.0', id: 1 });
    assert.deepEqual((await list()).map((r) => r.id), [1]);
    const gone = await rpc(s.url, 'admin:deleteLoadNotification', { id: [2] }, { cookie });
    assert.deepEqual(gone.error, { code: -32603, message: 'record not found' });
  });
});

describe('load rules: at most limits.alerts.maxRules', () => {
  it('the rule past the limit is 400 and not added', async () => {
    const { s, cookie } = await startWithAdmin({ limits: { alerts: { maxRules: 1 } } });
    try {
      const node = await addNode(s, cookie, 'a');
      const body = { clients: [node.uuid], metric: 'cpu', threshold: 90, ratio: 0.5, interval: 5 };
      assert.equal((await http(s.url, '/api/admin/notification/load/add', { method: 'POST', cookie, body })).status, 200);
      const over = await http(s.url, '/api/admin/notification/load/add', { method: 'POST', cookie, body });
      assert.equal(over.status, 400, over.text);
      assert.deepEqual(over.json, { status: 'error', message: 'Too many load rules (at most 1)' });
      assert.equal((await http(s.url, '/api/admin/notification/load/', { cookie })).json.data.length, 1);
    } finally {
      await s.dispose();
    }
  });
});

describe('load rules after one of their nodes is deleted', () => {
  it('Komari’s UI posts the whole rule back, stale uuid included: the edit still applies', async () => {
    const { s, cookie } = await startWithAdmin();
    try {
      const keep = await addNode(s, cookie, 'keep');
      const gone = await addNode(s, cookie, 'gone');
      const rule = { name: 'cpu', clients: [keep.uuid, gone.uuid], metric: 'cpu', threshold: 90, ratio: 0.5, interval: 5 };
      const id = (await http(s.url, '/api/admin/notification/load/add', { method: 'POST', cookie, body: rule })).json.data.task_id as number;
      assert.equal((await http(s.url, `/api/admin/client/${gone.uuid}/remove`, { method: 'POST', cookie })).status, 200);
      const [stored] = (await http(s.url, '/api/admin/notification/load/', { cookie })).json.data;
      const edit = await http(s.url, '/api/admin/notification/load/edit', { method: 'POST', cookie, body: { notifications: [{ ...stored, threshold: 95 }] } });
      assert.equal(edit.status, 200, edit.text);
      const [after] = (await http(s.url, '/api/admin/notification/load/', { cookie })).json.data;
      assert.equal(after.threshold, 95);
      assert.equal(after.id, id);
      // A uuid that was never in the rule is still refused.
      const bad = await http(s.url, '/api/admin/notification/load/edit', { method: 'POST', cookie, body: { notifications: [{ id, clients: [keep.uuid, 'ghost'] }] } });
      assert.deepEqual([bad.status, bad.json.message], [400, 'Client not found: ghost']);
    } finally {
      await s.dispose();
    }
  });
});

describe('offline rules after their node is deleted', () => {
  it('the row goes with the node', async () => {
    const { s, cookie } = await startWithAdmin();
    try {
      const keep = await addNode(s, cookie, 'keep');
      const gone = await addNode(s, cookie, 'gone');
      await http(s.url, '/api/admin/notification/offline/edit', { method: 'POST', cookie, body: [keep, gone].map((n) => ({ client: n.uuid, enable: true, grace_period: 60 })) });
      assert.equal((await http(s.url, `/api/admin/client/${gone.uuid}/remove`, { method: 'POST', cookie })).status, 200);
      const rows = (await http(s.url, '/api/admin/notification/offline', { cookie })).json.data;
      assert.deepEqual(rows.map((r: any) => r.client), [keep.uuid]);
    } finally {
      await s.dispose();
    }
  });
});
