import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { defaultHistoryLimits } from '../../src/history/limits.ts';
import { defaultClusterLimits } from '../../src/cluster/limits.ts';
import { eventually, feedOf } from '../helpers/agent-common.ts';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.ts';
import { spawnCliServer, type CliServer } from '../helpers/cli.ts';
import { clusterSkipReason, testNatsUrl } from '../helpers/cluster.ts';
import { freshPgSchema, testPgUrl } from '../helpers/postgres.ts';
import { http, sessionCookieOf } from '../helpers/server.ts';
import { TcpProxy } from '../helpers/tcp-proxy.ts';

// Issue 16 §2: three replicas as real processes on one fresh PostgreSQL schema and the machine's
// NATS; a real agent (packages/agent) reports on the leader through a stand-in load balancer; the
// leader is killed with SIGKILL. Nothing here can be shortened from outside (the children run
// with the default limits), so the waits are bounded by those defaults.

const agentMain = fileURLToPath(new URL('../../../agent/src/main.ts', import.meta.url));
const password = 'kill9-password-1';
const flushMs = defaultHistoryLimits.flushEveryMs;
const { replicaTimeoutMs, leaderTryEveryMs } = defaultClusterLimits;
/** the agent's report interval (-i) and retry interval (-c), seconds */
const agentIntervalS = 1;
const minute = 60_000;
const leads = 'cluster: this replica leads';

interface Row {
  width: number;
  start: number;
  count: number;
  lastAt: number;
}

function startAgent(endpoint: string, token: string, cwd: string): { child: ChildProcess; stderr(): string } {
  const args = [agentMain, '-e', endpoint, '-t', token, '-i', String(agentIntervalS), '-c', String(agentIntervalS), '--disable-auto-update', '--disable-web-ssh'];
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return { child, stderr: () => err };
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

describe('a replica killed with kill -9 (issue 16 §2)', { skip: clusterSkipReason }, () => {
  let schema: Awaited<ReturnType<typeof freshPgSchema>>;
  const dirs: string[] = [];
  const replicas: CliServer[] = [];
  let r1: CliServer;
  let r2: CliServer;
  let r3: CliServer;
  let proxy: TcpProxy;
  let hook: CaptureServer;
  let agent: ReturnType<typeof startAgent> | undefined;
  let cookie = '';
  let node = { uuid: '', token: '' };
  /** when replica 1 was killed, and what the database held just before */
  let killedAt = 0;
  let snapshot: Row[] = [];

  const tmp = (prefix: string) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
  const replica = async () => {
    const env = { KOMARI_PG_SCHEMA: schema.schema, KOMARI_CLUSTER: testNatsUrl, KOMARI_DATA_DIR: tmp('komari-kill9-'), KOMARI_LOG_LEVEL: 'info', ADMIN_PASSWORD: password };
    // a loaded machine (CI runs PostgreSQL tests side by side) takes its time to load the server
    const s = await spawnCliServer(testPgUrl, env, undefined, 45_000);
    replicas.push(s);
    return s;
  };
  const rows = async (): Promise<Row[]> => {
    const { rows: found } = await schema.pool.query<{ width: string; start: string; count: string; last_at: string }>(
      `SELECT b.width, b.start, b.count, b.last_at FROM history_buckets b JOIN history_nodes n ON n.id = b.node
       WHERE n.uuid = $1 ORDER BY b.width, b.start`,
      [node.uuid],
    );
    return found.map((r) => ({ width: Number(r.width), start: Number(r.start), count: Number(r.count), lastAt: Number(r.last_at) }));
  };
  const onlineOn = async (s: CliServer) => (await feedOf(s.url)).online.includes(node.uuid);
  /** every report time replica 3's live view has shown (it keeps one minute: reads add up here) */
  const seenAt = new Set<number>();
  /** receive times of the node's reports in the last minute, as replica 3's live view has them */
  const recentAt = async (): Promise<number[]> => {
    const res = await http(r3.url, `/api/recent/${node.uuid}`);
    assert.equal(res.status, 200, res.text);
    const times = (res.json.data as Array<{ updated_at: string }>).map((r) => Date.parse(r.updated_at));
    for (const t of times) seenAt.add(t);
    return times;
  };
  const hookEvents = () => hook.seen.map((r) => (JSON.parse(r.body) as { event: string }).event);

  before(async () => {
    schema = await freshPgSchema();
    hook = await startCaptureServer((_req, res) => answerJson(res, 200, { ok: true }));
    // the first creates the schema's tables and the admin, and takes the lock; the others join it
    r1 = await replica();
    [r2, r3] = await Promise.all([replica(), replica()]);
    proxy = await TcpProxy.start(Number(new URL(r1.url).port));
    const login = await http(r3.url, '/api/login', { method: 'POST', body: { username: 'admin', password } });
    cookie = sessionCookieOf(login.headers);
    assert.ok(cookie, login.text);
    const add = await http(r3.url, '/api/admin/client/add', { method: 'POST', cookie, body: { name: 'moves-on' } });
    assert.equal(add.status, 200, add.text);
    node = { uuid: add.json.uuid, token: add.json.token };
    const channel = await http(r3.url, '/api/admin/alerts/channels/add', {
      method: 'POST',
      cookie,
      body: { name: 'hook', kind: 'webhook', config: { url: `${hook.url}/hook`, method: 'POST', body: '{"event":"{{event}}","message":"{{message}}"}' } },
    });
    assert.equal(channel.status, 200, channel.text);
    const rule = await http(r3.url, '/api/admin/notification/offline/edit', { method: 'POST', cookie, body: [{ client: node.uuid, enable: true, grace_period: 1 }] });
    assert.equal(rule.status, 200, rule.text);
  });

  after(async () => {
    if (agent) await killHard(agent.child);
    await Promise.allSettled(replicas.map((s) => killHard(s.child)));
    await proxy?.close();
    await hook?.close();
    await schema?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the first replica leads; the agent reports on it and its node is online on all three', async () => {
    assert.match(r1.stdout(), new RegExp(leads), 'the first replica took the lock and says so');
    for (const s of [r2, r3]) assert.doesNotMatch(s.stdout(), new RegExp(leads));
    agent = startAgent(proxy.url, node.token, tmp('komari-kill9-agent-'));
    await eventually(async () => (await onlineOn(r1)) && (await onlineOn(r2)) && (await onlineOn(r3)), 20_000);
  });

  it('kill -9 of the leader holding the agent: the node goes offline on the others within replicaTimeoutMs, and one of them leads', async () => {
    // The kill falls early enough in a minute for the agent to report again inside it, and after
    // replica 1 wrote that minute's bucket at least once: the bucket must be read back, not restarted.
    await eventually(async () => {
      const now = Date.now();
      if (now % minute > 38_000) return false;
      const open = (await rows()).find((r) => r.width === 60 && r.start === now - (now % minute));
      return open !== undefined && open.count >= 2;
    }, 70_000);
    await recentAt();
    snapshot = await rows();
    proxy.pointTo(undefined);
    killedAt = Date.now();
    await killHard(r1.child);

    const since = async (check: () => Promise<boolean> | boolean, timeoutMs: number) => {
      await eventually(check, timeoutMs);
      return Date.now() - killedAt;
    };
    const [offlineAfter, leaderAfter] = await Promise.all([
      since(async () => !(await onlineOn(r2)) && !(await onlineOn(r3)), replicaTimeoutMs + 3000),
      since(() => [r2, r3].some((s) => s.stdout().includes(leads)), leaderTryEveryMs + 3000),
    ]);
    assert.equal([r2, r3].filter((s) => s.stdout().includes(leads)).length, 1, 'exactly one new leader');
    console.log(`# offline on the survivors ${offlineAfter} ms after the kill (replicaTimeoutMs ${replicaTimeoutMs}); new leader after ${leaderAfter} ms`);
    assert.ok(offlineAfter <= replicaTimeoutMs + 2000, `offline after ${offlineAfter} ms`);
  });

  it('the Offline alert goes out once, not once per replica, after the rule grace', async () => {
    await eventually(() => hookEvents().includes('Offline'), 5000);
    assert.deepEqual(hookEvents(), ['Offline']);
  });

  it('the agent reconnects on its own through the balancer, now pointing at replica 2, and the Online alert goes out once', async () => {
    const switchedAt = Date.now();
    proxy.pointTo(Number(new URL(r2.url).port));
    await eventually(async () => (await onlineOn(r2)) && (await onlineOn(r3)), 15_000);
    console.log(`# the agent was back ${Date.now() - switchedAt} ms after the balancer pointed at replica 2`);
    assert.ok((proxy.forwarded.get(Number(new URL(r2.url).port)) ?? 0) > 0, 'the agent dialled replica 2');
    assert.equal(agent!.child.exitCode, null, `the same agent process, never restarted: ${agent!.stderr()}`);
    await eventually(() => hookEvents().includes('Online'), 5000);
    assert.deepEqual(hookEvents(), ['Offline', 'Online'], 'one Offline and one Online, not one per replica');
  });

  it('history continues: at most the flush window lost, the open bucket read back and added to', async () => {
    const fine = snapshot.filter((r) => r.width === 60);
    const lastDurable = Math.max(...fine.map((r) => r.lastAt));
    const bucket = killedAt - (killedAt % minute);
    const kept = fine.find((r) => r.start === bucket)!.count;
    const lost = killedAt - lastDurable;
    console.log(`# flush window ${flushMs} ms; newest sample written before the kill: ${lost} ms before it`);
    assert.ok(lost <= flushMs + 2 * agentIntervalS * 1000, `${lost} ms of reports lost`);

    // replica 2 took at least two reports in the bucket open at the kill
    await eventually(async () => (await recentAt()).filter((t) => t > killedAt).length >= 2, 10_000);
    const after2 = (await recentAt()).filter((t) => t > killedAt && t < bucket + minute);
    assert.ok(after2.length >= 1, 'the agent came back inside the minute of the kill');
    const firstAfter = Math.min(...after2);
    console.log(`# gap in history: ${firstAfter - lastDurable} ms (flush window + reconnect ${firstAfter - killedAt} ms)`);

    // what replica 1 had written of the open bucket is read back and grows; nothing is counted twice
    let now: Row | undefined;
    await eventually(async () => {
      now = (await rows()).find((r) => r.width === 60 && r.start === bucket);
      return now !== undefined && now.count >= kept + after2.length;
    }, 2 * flushMs + 2000);
    await recentAt();
    const seen = [...seenAt].filter((t) => t >= bucket && t < bucket + minute).length;
    assert.ok(now!.count <= seen + 1, `${now!.count} samples stored for the bucket, ${seen} reports seen`);

    // coarse tiers hold exactly the closed minutes under them (the newest may be open)
    await eventually(async () => {
      const all = await rows();
      const minutes = all.filter((r) => r.width === 60);
      const newest = minutes.at(-1)!;
      return all.filter((r) => r.width > 60).every((c) => {
        const under = minutes.filter((m) => m.start >= c.start && m.start < c.start + c.width * 1000);
        const sum = under.reduce((n, m) => n + m.count, 0);
        return c.count === sum || (under.includes(newest) && c.count === sum - newest.count);
      });
    }, 2 * flushMs + 2000);

    // and the public records, read through replica 3, have every minute from the first to the last
    const res = await http(r3.url, `/api/records/load?uuid=${node.uuid}&hours=1`);
    assert.equal(res.status, 200, res.text);
    const times = (res.json.data.records as Array<{ time: string }>).map((r) => Date.parse(r.time));
    assert.ok(times.includes(bucket), 'the minute of the kill');
    for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, minute, 'no minute missing');
  });
});
