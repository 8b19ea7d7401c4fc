import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ingestReport, parseReport } from '../../src/agents/ingest.ts';
import { addNode, sampleReport } from '../helpers/agent-common.ts';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.ts';
import { ManualClock } from '../helpers/clock.ts';
import { http, startTestServer, type TestServer } from '../helpers/server.ts';
import { V1Agent } from '../helpers/v1-agent.ts';

// The rules, each driven by a clock the test moves and a job the test runs: load (fire once,
// remind, resolve, fire again, consecutive), latency/loss, traffic steps, expiry and renewal,
// login. Every notice lands at a local stand-in webhook; `alerts.idle()` waits for deliveries.


interface Env {
  s: TestServer;
  cookie: string;
  clock: ManualClock;
  hook: CaptureServer;
  /** rendered texts received, oldest first */
  texts(): string[];
}

async function env(start: Date): Promise<Env> {
  const hook = await startCaptureServer((_req, res) => answerJson(res, 200, {}));
  const clock = new ManualClock(start.getTime());
  const s = await startTestServer({ clock, limits: { alerts: { retryBaseMs: 5 } } });
  const cookie = await s.login();
  const add = await http(s.url, '/api/admin/alerts/channels/add', {
    method: 'POST',
    cookie,
    body: { name: 'hook', kind: 'webhook', config: { url: `${hook.url}/hook`, method: 'POST', content_type: 'text/plain', body: '{{message}}' }, template: '{{event}}|{{message}}' },
  });
  assert.equal(add.status, 200, add.text);
  return { s, cookie, clock, hook, texts: () => hook.seen.map((r) => r.body) };
}

async function done(e: Env): Promise<void> {
  await e.s.dispose();
  await e.hook.close();
}

/** Reports every 10 s for `minutes`, each node with its own cpu. */
function feed(e: Env, cpu: Record<string, number>, minutes: number, over: Record<string, unknown> = {}): void {
  for (let t = 0; t < minutes * 6; t++) {
    e.clock.advance(10_000);
    for (const [uuid, usage] of Object.entries(cpu)) ingestReport(e.s.ctx, uuid, parseReport(sampleReport({ cpu: { usage }, ...over })), { presence: true });
  }
}

async function runJob(e: Env, name: string): Promise<void> {
  await e.s.ctx.jobs.run(name);
  await e.s.ctx.alerts.idle();
}

// Samples 5 s off the minute: none lands on a window's edge, which the bucket starting there would
// carry into the next window.
describe('load rules', () => {
  let e: Env;
  let a: { uuid: string };
  let b: { uuid: string };
  before(async () => {
    e = await env(new Date(2026, 11, 7, 10, 0, 5));
    a = await addNode(e.s, e.cookie, 'alpha');
    b = await addNode(e.s, e.cookie, 'beta');
  });
  after(() => done(e));
  beforeEach(() => {
    e.hook.seen.length = 0;
  });

  it('fires once for the breaching node, stays quiet while it breaches, resolves once, fires again', async () => {
    const add = await http(e.s.url, '/api/admin/notification/load/add', {
      method: 'POST',
      cookie: e.cookie,
      body: { name: 'High CPU', clients: [a.uuid, b.uuid], metric: 'cpu', threshold: 80, ratio: 0.5, interval: 5 },
    });
    assert.equal(add.status, 200, add.text);
    const id = add.json.data.task_id as number;
    feed(e, { [a.uuid]: 95, [b.uuid]: 10 }, 5);
    await runJob(e, 'alerts.load');
    assert.deepEqual(e.texts(), ['Alert|High CPU: cpu ≥ 80% in 50% of 5 min on alpha (peak 95%)']);

    feed(e, { [a.uuid]: 96, [b.uuid]: 10 }, 5);
    await runJob(e, 'alerts.load');
    assert.equal(e.texts().length, 1, 'no repeat while it still breaches');

    feed(e, { [a.uuid]: 20, [b.uuid]: 10 }, 5);
    await runJob(e, 'alerts.load');
    assert.deepEqual(e.texts().slice(1), ['Resolved|High CPU: back to normal on alpha (peak 20%)']);

    feed(e, { [a.uuid]: 99, [b.uuid]: 10 }, 5);
    await runJob(e, 'alerts.load');
    assert.equal(e.texts()[2], 'Alert|High CPU: cpu ≥ 80% in 50% of 5 min on alpha (peak 99%)');

    const rules = await http(e.s.url, '/api/admin/notification/load/', { cookie: e.cookie });
    assert.ok(rules.json.data.find((r: { id: number }) => r.id === id).last_notified, 'last_notified is when it fired');
    const hist = await http(e.s.url, '/api/admin/alerts/history', { cookie: e.cookie });
    const incidents = hist.json.data.items.filter((r: { kind: string; rule_id: number }) => r.kind === 'load' && r.rule_id === id);
    assert.equal(incidents.length, 2, 'two incidents: the first resolved, the second open');
    assert.equal(incidents[0].open, true);
    assert.equal(incidents[1].open, false);
    assert.equal(incidents[1].results.length, 2, 'its Alert and its Resolved delivery');
    await http(e.s.url, '/api/admin/notification/load/delete', { method: 'POST', cookie: e.cookie, body: { id: [id] } });
  });

  it('waits for N breaching evaluations in a row, and reminds while firing when asked', async () => {
    const add = await http(e.s.url, '/api/admin/notification/load/add', {
      method: 'POST',
      cookie: e.cookie,
      body: { name: 'RAM', clients: [b.uuid], metric: 'cpu', threshold: 50, ratio: 1, interval: 1, consecutive: 2, reminder_minutes: 3 },
    });
    const id = add.json.data.task_id as number;
    feed(e, { [b.uuid]: 70 }, 1);
    await runJob(e, 'alerts.load');
    assert.deepEqual(e.texts(), [], 'one breaching evaluation is not enough');
    feed(e, { [b.uuid]: 70 }, 1);
    await runJob(e, 'alerts.load');
    assert.equal(e.texts().length, 1);
    assert.match(e.texts()[0]!, /^Alert\|RAM: cpu ≥ 50% in 100% of 1 min on beta/);
    feed(e, { [b.uuid]: 70 }, 1);
    await runJob(e, 'alerts.load');
    assert.equal(e.texts().length, 1, 'no reminder before 3 minutes');
    feed(e, { [b.uuid]: 70 }, 2);
    await runJob(e, 'alerts.load');
    assert.equal(e.texts().length, 2);
    assert.match(e.texts()[1]!, /^Alert\|RAM: still cpu ≥ 50%/);
    await http(e.s.url, '/api/admin/notification/load/delete', { method: 'POST', cookie: e.cookie, body: { id: [id] } });
  });
});

describe('latency and loss rules', () => {
  let e: Env;
  before(async () => {
    e = await env(new Date(2026, 11, 7, 10, 0, 5));
  });
  after(() => done(e));

  it('loss ≥ X % over N minutes fires once and resolves once; median latency ≥ T ms fires too', async () => {
    const n = await addNode(e.s, e.cookie, 'gamma');
    const task = await http(e.s.url, '/api/admin/ping/add', { method: 'POST', cookie: e.cookie, body: { name: 'to-tokyo', clients: [n.uuid], type: 'icmp', target: '192.0.2.1', interval: 10 } });
    assert.equal(task.status, 200, task.text);
    const taskId = (await http(e.s.url, '/api/admin/ping/', { cookie: e.cookie })).json.data[0].id as number;
    const rule = await http(e.s.url, '/api/admin/alerts/ping/add', {
      method: 'POST',
      cookie: e.cookie,
      body: { name: 'Tokyo path', task_id: taskId, loss_percent: 50, latency_ms: 200, window_minutes: 5 },
    });
    assert.equal(rule.status, 200, rule.text);
    const probe = (values: number[]) => {
      for (const v of values) {
        e.clock.advance(10_000);
        assert.ok(e.s.ctx.ping.record(taskId, n.uuid, v));
      }
    };
    probe(Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? 40 : -1)));
    await runJob(e, 'alerts.ping');
    assert.deepEqual(e.texts(), ['Alert|Tokyo path: loss ≥ 50% or median latency ≥ 200 ms over 5 min on gamma (loss 68%, median 40 ms)']);
    await runJob(e, 'alerts.ping');
    assert.equal(e.texts().length, 1);
    probe(Array.from({ length: 30 }, () => 35));
    await runJob(e, 'alerts.ping');
    assert.equal(e.texts()[1], 'Resolved|Tokyo path: back to normal on gamma (loss 0%, median 35 ms)');
    probe(Array.from({ length: 30 }, () => 350));
    await runJob(e, 'alerts.ping');
    assert.equal(e.texts()[2], 'Alert|Tokyo path: loss ≥ 50% or median latency ≥ 200 ms over 5 min on gamma (loss 0%, median 350 ms)');
  });
});

describe('traffic limits', () => {
  it('alerts at the threshold and at each further 5 % step, once per billing cycle, with a projection', async () => {
    const e = await env(new Date(2026, 11, 10, 12, 0));
    try {
      const n = await addNode(e.s, e.cookie, 'delta');
      const gb = 1024 ** 3;
      const edit = await http(e.s.url, `/api/admin/client/${n.uuid}/edit`, { method: 'POST', cookie: e.cookie, body: { traffic_limit: 100 * gb, traffic_limit_type: 'sum' } });
      assert.equal(edit.status, 200, edit.text);
      const report = (up: number, down: number) =>
        ingestReport(e.s.ctx, n.uuid, parseReport(sampleReport({ network: { up: 0, down: 0, totalUp: up, totalDown: down } })), { presence: true });
      report(10 * gb, 60 * gb);
      await runJob(e, 'alerts.traffic');
      assert.deepEqual(e.texts(), []);
      report(20 * gb, 62 * gb);
      await runJob(e, 'alerts.traffic');
      assert.equal(e.texts().length, 1);
      assert.match(e.texts()[0]!, /^Traffic\|used 80% \(82\.00 GB \/ 100\.00 GB\), type=sum; at this cycle's rate the limit is reached on 2026-12-12$/);
      report(21 * gb, 62 * gb);
      await runJob(e, 'alerts.traffic');
      assert.equal(e.texts().length, 1, 'the same step is not sent twice');
      report(25 * gb, 66 * gb);
      await runJob(e, 'alerts.traffic');
      assert.match(e.texts()[1]!, /^Traffic\|used 90% \(91\.00 GB/);
      // A new cycle (the calendar month, no billing fields): the first step is sent again.
      e.clock.set(new Date(2027, 0, 2, 12, 0).getTime());
      report(25 * gb, 66 * gb);
      await runJob(e, 'alerts.traffic');
      assert.match(e.texts()[2]!, /^Traffic\|used 90%/);
    } finally {
      await done(e);
    }
  });
});

describe('expiry reminders and auto-renewal', () => {
  it('reminds once a day at the hour inside the lead days; renews a WebSocket node on connect, audited', async () => {
    const e = await env(new Date(2026, 11, 7, 8, 30));
    try {
      const soon = await addNode(e.s, e.cookie, 'expires-soon');
      const exp = new Date(2026, 11, 10, 12, 0).toISOString();
      await http(e.s.url, `/api/admin/client/${soon.uuid}/edit`, { method: 'POST', cookie: e.cookie, body: { expired_at: exp } });
      await runJob(e, 'alerts.expiry');
      assert.deepEqual(e.texts(), [], 'not before 09:00');
      e.clock.set(new Date(2026, 11, 7, 9, 0).getTime());
      await runJob(e, 'alerts.expiry');
      assert.deepEqual(e.texts(), ['Expire|• expires-soon (3d)\n']);
      await runJob(e, 'alerts.expiry');
      assert.equal(e.texts().length, 1, 'once a day');

      const renew = await addNode(e.s, e.cookie, 'renews');
      const today = new Date(2026, 11, 7, 6, 0).toISOString();
      await http(e.s.url, `/api/admin/client/${renew.uuid}/edit`, { method: 'POST', cookie: e.cookie, body: { expired_at: today, billing_cycle: 30, auto_renewal: true } });
      const agent = await V1Agent.connect(e.s, renew.token);
      agent.report();
      const until = Date.now() + 3000;
      while (e.texts().length < 2 && Date.now() < until) {
        await e.s.ctx.alerts.offline.settled();
        await e.s.ctx.alerts.idle();
        await new Promise((r) => setImmediate(r));
      }
      assert.equal(e.texts()[1], 'Renew|• renews until 2027-01-07\n');
      const row = await e.s.ctx.store.nodes.get(renew.uuid);
      assert.equal(new Date(row!.expired_at!).getMonth(), 0);
      const logs = await http(e.s.url, '/api/admin/logs?limit=50', { cookie: e.cookie });
      assert.ok(JSON.stringify(logs.json).includes('Auto-renewed client: renews until 2027-01-07'));
      await agent.close();
    } finally {
      await done(e);
    }
  });
});

describe('login notification', () => {
  it('a password login sends Login with method, address and user agent when login_notification is on', async () => {
    const e = await env(new Date(2026, 11, 7, 10, 0));
    try {
      const res = await http(e.s.url, '/api/login', { method: 'POST', body: { username: e.s.adminUsername, password: e.s.adminPassword }, headers: { 'user-agent': 'phone-browser/1.0' } });
      assert.equal(res.status, 200);
      await e.s.ctx.alerts.idle();
      assert.deepEqual(e.texts(), ['Login|password: 127.0.0.1 (unknown)\nphone-browser/1.0']);
      await http(e.s.url, '/api/admin/settings/', { method: 'POST', cookie: e.cookie, body: { login_notification: false } });
      await http(e.s.url, '/api/login', { method: 'POST', body: { username: e.s.adminUsername, password: e.s.adminPassword } });
      await e.s.ctx.alerts.idle();
      assert.equal(e.texts().length, 1);
    } finally {
      await done(e);
    }
  });
});
