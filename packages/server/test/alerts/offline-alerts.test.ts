import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from '../helpers/agent-common.ts';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.ts';
import { http, startTestServer, type TestServer } from '../helpers/server.ts';
import { V1Agent } from '../helpers/v1-agent.ts';

// Offline/online alerts end to end: a real agent socket, a real channel (a webhook pointed at a
// local stand-in), the grace measured on the wall clock. The watcher ticks every 50 ms here so
// the grace, not the tick, decides when an Offline goes out.

const grace = 1; // seconds
const limits = { alerts: { offlineTickMs: 50, startupGraceMs: 1500 } };

/** One webhook channel whose body carries the event name and the rendered text. */
async function addHook(s: TestServer, cookie: string, hook: CaptureServer): Promise<void> {
  const add = await http(s.url, '/api/admin/alerts/channels/add', {
    method: 'POST',
    cookie,
    body: { name: 'hook', kind: 'webhook', config: { url: `${hook.url}/hook`, method: 'POST', body: '{"event":"{{event}}","message":"{{message}}"}' } },
  });
  assert.equal(add.status, 200, add.text);
}

async function setUp(s: TestServer, cookie: string, name: string): Promise<{ uuid: string; token: string }> {
  const node = await addNode(s, cookie, name);
  const edit = await http(s.url, '/api/admin/notification/offline/edit', { method: 'POST', cookie, body: [{ client: node.uuid, enable: true, grace_period: grace }] });
  assert.equal(edit.status, 200, edit.text);
  return node;
}

const events = (hook: CaptureServer) => hook.seen.map((r) => JSON.parse(r.body) as { event: string; message: string });

describe('offline alerts over a real agent socket', () => {
  let s: TestServer;
  let cookie: string;
  let hook: CaptureServer;
  const arrivals: number[] = [];

  before(async () => {
    hook = await startCaptureServer((_req, res) => {
      arrivals.push(Date.now());
      answerJson(res, 200, { ok: true });
    });
    s = await startTestServer({ limits });
    cookie = await s.login();
    await addHook(s, cookie, hook);
  });
  after(async () => {
    await s.dispose();
    await hook.close();
  });

  it('basic info by POST, then a socket: its close gives one Offline after the grace and not before, and one Online on return', async () => {
    const { uuid, token } = await setUp(s, cookie, 'tokyo-01');
    const info = await http(s.url, `/api/clients/uploadBasicInfo?token=${token}`, { method: 'POST', body: { cpu_name: 'EPYC', os: 'Debian', mem_total: 1024 } });
    assert.equal(info.status, 200);
    const agent = await V1Agent.connect(s, token);
    agent.report();
    await eventually(() => s.ctx.live.isOnline(uuid));
    const closedAt = (await agent.close()).at;
    await eventually(() => hook.seen.length >= 1, 5000);
    const delay = arrivals[0]! - closedAt;
    assert.ok(delay >= grace * 1000, `Offline came ${delay} ms after the close, before the ${grace} s grace`);
    assert.ok(delay < grace * 1000 + 1000, `Offline came ${delay} ms after the close`);
    assert.deepEqual(events(hook).map((e) => e.event), ['Offline']);
    assert.match(events(hook)[0]!.message, /^🔴🔴🔴\nEvent: Offline\nClients: tokyo-01\nMessage: tokyo-01 is offline since \d\d:\d\d \(1 s\)\nTime: /);

    const back = await V1Agent.connect(s, token);
    back.report();
    await eventually(() => hook.seen.length >= 2, 5000);
    assert.deepEqual(events(hook).map((e) => e.event), ['Offline', 'Online']);
    assert.match(events(hook)[1]!.message, /Message: tokyo-01 is back online after \d+ s offline\n/);

    const list = await http(s.url, '/api/admin/alerts/history', { cookie });
    const mine = list.json.data.items.filter((r: { node: string }) => r.node === uuid);
    assert.equal(mine.length, 1, 'one incident for the outage');
    assert.equal(mine[0].open, false);
    assert.ok(mine[0].resolved_at);
    assert.equal(mine[0].results.length, 2, 'the Offline and the Online delivery, one channel each');
    assert.ok(mine[0].results.every((r: { ok: boolean }) => r.ok));
    await back.close();
    await eventually(() => hook.seen.length >= 3, 5000);
  });

  it('a reconnect inside the grace sends nothing; the outage after it is reported once', async () => {
    const { uuid, token } = await setUp(s, cookie, 'osaka-02');
    const a = await V1Agent.connect(s, token);
    a.report();
    await eventually(() => s.ctx.live.isOnline(uuid));
    const before = hook.seen.length;
    await a.close();
    const b = await V1Agent.connect(s, token);
    b.report();
    await eventually(() => s.ctx.live.isOnline(uuid));
    // Past the grace, with the watcher run: nothing was due, so nothing went out.
    await new Promise((r) => setTimeout(r, grace * 1000 + 200));
    await s.ctx.jobs.run('alerts.offline');
    await s.ctx.alerts.offline.settled();
    assert.equal(s.ctx.alerts.offline.state(uuid)?.state, 'up');
    const mineSince = hook.seen.slice(before).filter((r) => r.body.includes('osaka-02'));
    assert.deepEqual(mineSince, []);
    await b.close();
    await eventually(() => hook.seen.slice(before).some((r) => r.body.includes('osaka-02 is offline')), 5000);
    await s.ctx.jobs.run('alerts.offline');
    const offlines = hook.seen.slice(before).filter((r) => r.body.includes('osaka-02 is offline'));
    assert.equal(offlines.length, 1);
  });
});

describe('offline state across a restart', () => {
  it('no storm on restart; an outage that began before it is still reported once; the shutdown itself is no outage', async () => {
    const hook = await startCaptureServer((_req, res) => answerJson(res, 200, {}));
    let s = await startTestServer({ limits });
    const dir = s.dir;
    const cookie = await s.login();
    await addHook(s, cookie, hook);
    const up = await setUp(s, cookie, 'stays-up');
    const down = await setUp(s, cookie, 'goes-down');
    const a = await V1Agent.connect(s, up.token);
    a.report();
    const b = await V1Agent.connect(s, down.token);
    b.report();
    await eventually(() => s.ctx.live.isOnline(up.uuid) && s.ctx.live.isOnline(down.uuid));
    // goes-down drops; the server stops inside its grace.
    await b.close();
    await eventually(() => s.ctx.alerts.offline.state(down.uuid)?.state === 'pending');
    await s.stop();
    assert.equal(hook.seen.length, 0, 'nothing sent at shutdown');

    s = await startTestServer({ limits, dir });
    try {
      // stays-up reconnects inside the start-up grace: no alert for it.
      const a2 = await V1Agent.connect(s, up.token);
      a2.report();
      await eventually(() => s.ctx.live.isOnline(up.uuid));
      // goes-down's grace ran out during the restart: its Offline goes out once.
      await eventually(() => hook.seen.some((r) => r.body.includes('goes-down is offline')), 5000);
      await new Promise((r) => setTimeout(r, limits.alerts.startupGraceMs + 300));
      await s.ctx.jobs.run('alerts.offline');
      await s.ctx.alerts.offline.settled();
      const bodies = hook.seen.map((r) => r.body);
      assert.equal(bodies.filter((b) => b.includes('goes-down is offline')).length, 1);
      assert.equal(bodies.filter((b) => b.includes('stays-up')).length, 0, 'no alert storm for the node that came back');
      await a2.close();
      void a;
    } finally {
      await s.dispose();
      await hook.close();
    }
  });
});
