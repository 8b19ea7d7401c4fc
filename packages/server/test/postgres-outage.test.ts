import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, feedOf, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { configureOAuth, startLogin, withCookies } from './helpers/oauth.ts';
import { PgProxy } from './helpers/pg-proxy.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from './helpers/postgres.ts';
import { http, rpc, startTestServer, type TestServer } from './helpers/server.ts';
import { V2SocketAgent } from './helpers/v2-agent.ts';
import { StoreUnavailable } from '../src/store/errors.ts';

const unavailable = { status: 'error', message: 'database is unavailable' };
const recordsUnavailable = { status: 'error', message: 'Failed to fetch records: database is unavailable' };
const minute = 60_000;

/**
 * Issue 16: the server on PostgreSQL through a TCP proxy (helpers/pg-proxy.ts), which takes the
 * database away from this server alone: the machine's PostgreSQL, shared with other tests, keeps
 * running. Flush timers are set far apart, so every write in the test is one it asks for.
 */
describe('PostgreSQL goes down while the server runs, and comes back (issue 16)', { skip: testPgUrl ? undefined : pgSkipReason }, () => {
  const clock = new ManualClock('2026-09-01T10:00:05Z');
  const t0 = clock.now() - 5_000;
  const log = new LogCapture();
  const limits = {
    postgres: { connectTimeoutMs: 1_000, queryTimeoutMs: 2_000, closeWaitMs: 1_000 },
    history: { flushEveryMs: 3_600_000, stopStallMs: 1_000 },
  };
  let schema: Awaited<ReturnType<typeof freshPgSchema>>;
  let proxy: PgProxy;
  let s: TestServer;
  let stopped = false;
  let cookie: string;
  let node: { uuid: string; token: string };
  let agent: V2SocketAgent;
  let taskId: number;
  let oauthState: string;

  /** Log lines whose message starts with `prefix` ("history …" is not "ping history …"). */
  const logged = (prefix: string) => log.matching(prefix).filter((l) => String(l.msg).startsWith(prefix));

  /** [start - t0, samples] of every 1-minute row of a table, oldest first. */
  const minuteRows = async (sql: string) =>
    (await schema.pool.query<{ start: string; n: string }>(sql)).rows.map((r) => [Number(r.start) - t0, Number(r.n)]);

  /** One report over the agent's socket and one ping result; both must be answered as accepted. */
  async function report(uptime: number): Promise<void> {
    const res = await agent.call('agent.report', { report: sampleReport({ uptime }) }, uptime);
    assert.deepEqual(res.result, { status: 'success', events: [] }, JSON.stringify(res));
    const ping = await agent.call('agent.pingResult', { task_id: taskId, ping_type: 'icmp', value: uptime }, `p${uptime}`);
    assert.deepEqual(ping.result, { status: 'success' });
  }

  before(async () => {
    schema = await freshPgSchema();
    proxy = await PgProxy.start(testPgUrl);
    s = await startTestServer({ pg: { url: proxy.url, schema: schema.schema }, clock, limits, env: { KOMARI_LOG_LEVEL: 'info' }, logStream: log });
    cookie = await s.login();
    node = await addNode(s, cookie, 'through-the-outage');
    const add = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'probe', type: 'icmp', target: '8.8.8.8', interval: 60, clients: [node.uuid] } });
    assert.equal(add.status, 200, add.text);
    taskId = s.ctx.ping.tasks()[0]!.id;
    await configureOAuth(s, cookie, 'github', { client_id: 'gh-id', client_secret: 'gh-secret-value' });
    ({ state: oauthState } = await startLogin(s));
    agent = await V2SocketAgent.connect(s, node.token);
    await report(1);
    await s.ctx.history.flush();
    await s.ctx.ping.history.flush();
  });
  after(async () => {
    await agent?.close();
    if (!stopped) await s?.stop();
    await proxy?.close();
    await schema?.drop();
  });

  it('reports keep being accepted and shown on /api/clients and /api/recent while PostgreSQL is down; history waits in memory', async () => {
    proxy.cut();
    for (let m = 1; m <= 3; m++) {
      clock.advance(minute);
      await report(100 + m);
    }
    assert.equal((await feedOf(s.url)).data[node.uuid].uptime, 103);
    const recent = await http(s.url, `/api/recent/${node.uuid}`);
    assert.equal(recent.status, 200, recent.text);
    assert.equal(recent.json.data.at(-1).uptime, 103);
    await assert.rejects(s.ctx.history.flush(), StoreUnavailable);
    await assert.rejects(s.ctx.ping.history.flush(), StoreUnavailable);
    assert.ok(s.ctx.history.unwritten >= 4, `${s.ctx.history.unwritten} buckets held`);
    assert.ok(s.ctx.ping.history.unwritten >= 4);
    assert.equal(logged('history flush failed').length, 1);
    assert.equal(logged('ping history flush failed').length, 1);
  });

  it('a login answers 503 "database is unavailable", never 500; so do the OAuth callback, records, admin routes and RPC', async () => {
    const login = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
    assert.deepEqual([login.status, login.json], [503, unavailable]);
    const callback = await withCookies(s, `/api/oauth_callback?code=good&state=${oauthState}`, { oauth_state: oauthState });
    assert.deepEqual([callback.status, callback.json], [503, unavailable]);
    const records = await http(s.url, `/api/records/load?uuid=${node.uuid}&hours=1`);
    assert.deepEqual([records.status, records.json], [503, recordsUnavailable]);
    const viaRpc = await rpc(s.url, 'common:getRecords', { uuid: node.uuid, type: 'load', hours: 1 });
    assert.deepEqual(viaRpc.error, { code: -32051, message: recordsUnavailable.message });
    // A session cookie cannot be checked now: admin routes say why, public reads go on as a guest's.
    const admin = await http(s.url, '/api/admin/client/list', { cookie });
    assert.deepEqual([admin.status, admin.json], [503, unavailable]);
    const adminRpc = await rpc(s.url, 'admin:listClients', {}, { cookie });
    assert.deepEqual(adminRpc.error, { code: -32051, message: 'database is unavailable' });
    const nodes = await http(s.url, '/api/nodes', { cookie });
    assert.equal(nodes.status, 200, nodes.text);
    assert.deepEqual(nodes.json.data.map((n: { uuid: string }) => n.uuid), [node.uuid]);
    assert.ok(!log.text.includes('"statusCode":500'), 'no request answered 500');
  });

  it('while PostgreSQL drops packets (connections hang) a request fails within the pool timeouts, and reports still go through', async () => {
    proxy.restore();
    proxy.stall();
    const started = Date.now();
    const login = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
    const records = await http(s.url, `/api/records/load?uuid=${node.uuid}&hours=1`);
    const took = Date.now() - started;
    assert.deepEqual([login.status, login.json], [503, unavailable]);
    assert.deepEqual([records.status, records.json], [503, recordsUnavailable]);
    // Each waits the connect or the query timeout (1 s, 2 s) at most; well short of a hang.
    assert.ok(took < 2 * (limits.postgres.queryTimeoutMs + 2_000), `${took} ms`);
    clock.advance(minute);
    await report(104);
    assert.equal((await feedOf(s.url)).data[node.uuid].uptime, 104);
  });

  it('once PostgreSQL is back the pool reconnects by itself: a login works, and the history of the outage is written', async () => {
    proxy.restore();
    assert.ok(await s.login());
    await s.ctx.history.flush();
    await s.ctx.ping.history.flush();
    assert.equal(s.ctx.history.unwritten, 0);
    assert.equal(s.ctx.ping.history.unwritten, 0);
    assert.equal(logged('history flush works again').length, 1);
    assert.equal(logged('ping history flush works again').length, 1);
    // Minute 0 was written before the outage; minutes 1 to 4 were reported while it lasted.
    const perMinute = [0, 1, 2, 3, 4].map((m) => [m * minute, 1]);
    assert.deepEqual(await minuteRows('SELECT start::text, count::text AS n FROM history_buckets WHERE width = 60 ORDER BY start'), perMinute);
    assert.deepEqual(await minuteRows('SELECT start::text, sent::text AS n FROM ping_buckets WHERE width = 60 ORDER BY start'), perMinute);
    const records = await http(s.url, `/api/records/load?uuid=${node.uuid}&hours=1`, { cookie });
    assert.equal(records.status, 200, records.text);
    assert.equal(records.json.data.records.length, 5);
  });

  it('a stop while PostgreSQL hangs ends within its grace and logs how many buckets it could not write', async () => {
    clock.advance(minute);
    await report(105);
    proxy.stall();
    const started = Date.now();
    stopped = true;
    await assert.rejects(s.stop(), /buckets not written/);
    const took = Date.now() - started;
    // stall waits (1 s each, history and ping at once) and the pool's close wait (1 s)
    assert.ok(took < 10_000, `${took} ms`);
    const [load] = logged('history: ');
    assert.match(String(load?.msg), /^history: \d+ buckets could not be written before the stop and are lost$/);
    assert.ok(Number(load?.unwritten) >= 1);
    assert.equal(logged('ping history: ').length, 1);
  });
});
