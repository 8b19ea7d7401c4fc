import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { v2Post, V2SocketAgent } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** How long each test watches a 1-second task: two firings, at +1 s and +2 s. */
const watchMs = 2500;

/** Frames that arrive within `ms`, each with its arrival time. */
async function collect(agent: V1Agent | V2SocketAgent, ms: number): Promise<{ frame: any; at: number }[]> {
  const out: { frame: any; at: number }[] = [];
  const until = Date.now() + ms;
  for (;;) {
    const left = until - Date.now();
    if (left <= 0) return out;
    try {
      out.push({ frame: await agent.next(left), at: Date.now() });
    } catch {
      return out;
    }
  }
}

/** Two or three firings (timers may drift under load), about one interval apart. */
function assertCadence(got: { at: number }[], label: string): void {
  assert.ok(got.length >= 2 && got.length <= 3, `${label}: ${got.length} commands in ${watchMs} ms`);
  for (let i = 1; i < got.length; i++) assert.ok(got[i]!.at - got[i - 1]!.at >= 700, `${label}: commands ${got[i]!.at - got[i - 1]!.at} ms apart`);
}

describe('the ping schedule reaches exactly the nodes of a task, at its interval', () => {
  let s: TestServer;
  let cookie: string;
  let nodes: { uuid: string; token: string }[];

  beforeEach(async () => {
    ({ s, cookie } = await startWithAdmin());
    nodes = [await addNode(s, cookie, 'a'), await addNode(s, cookie, 'b'), await addNode(s, cookie, 'c')];
  });
  afterEach(() => s.dispose());

  async function addTask(body: Record<string, unknown>): Promise<number> {
    const res = await http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { name: 'probe', type: 'tcp', target: '1.1.1.1:443', interval: 1, ...body } });
    assert.equal(res.status, 200, res.text);
    return res.json.data.task_id;
  }

  it('v1: the two assigned sockets get Komari\'s ping frame once a second; the third gets nothing', async () => {
    const agents = await Promise.all(nodes.map((n) => V1Agent.connect(s, n.token)));
    for (const a of agents) a.report(); // the first frame registers the socket
    await eventually(() => nodes.every((n) => s.ctx.live.socketOf(n.uuid) !== undefined));
    const raw: string[] = [];
    agents[0]!.ws.on('message', (d) => raw.push(d.toString()));
    const id = await addTask({ clients: [nodes[0]!.uuid, nodes[1]!.uuid] });
    const [a, b, c] = await Promise.all(agents.map((ag) => collect(ag, watchMs)));
    assert.ok(raw.length > 0 && raw.every((t) => t.endsWith('}\n')), 'ping frames end with a newline, as Komari writes them');
    for (const [got, label] of [[a!, 'a'], [b!, 'b']] as const) {
      assertCadence(got, label);
      for (const { frame } of got) {
        assert.deepEqual(frame, { ping_task_id: id, message: 'ping', ping_type: 'tcp', ping_target: '1.1.1.1:443' });
        assert.deepEqual(Object.keys(frame), ['ping_task_id', 'message', 'ping_type', 'ping_target']);
      }
    }
    assert.deepEqual(c, [], 'the unassigned node gets no command');
    await Promise.all(agents.map((ag) => ag.close()));
  });

  it('v2: the assigned WebSocket gets agent.ping notifications, the assigned POST-only node pulls them as events', async () => {
    const [a, b, c] = nodes;
    const ws = await V2SocketAgent.connect(s, a!.token);
    const other = await V2SocketAgent.connect(s, c!.token);
    const report = await v2Post(s, b!.token, { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 1 });
    assert.equal(report.status, 200, report.text);
    const id = await addTask({ clients: [a!.uuid, b!.uuid], type: 'icmp', target: '8.8.8.8' });
    const params = { ping_task_id: id, ping_type: 'icmp', ping_target: '8.8.8.8' };
    const [onSocket, pulled, onOther] = await Promise.all([collect(ws, watchMs), pullFor(s, b!.token, watchMs), collect(other, watchMs)]);
    assertCadence(onSocket, 'v2 socket');
    for (const { frame } of onSocket) assert.deepEqual(frame, { jsonrpc: '2.0', method: 'agent.ping', params });
    assertCadence(pulled, 'POST-only');
    for (const { frame } of pulled) {
      assert.equal(frame.method, 'agent.ping');
      assert.deepEqual(frame.params, params);
      assert.equal(Date.parse(frame.expires_at) - Date.parse(frame.created_at), 3000, 'ping events live 3 s');
    }
    assert.deepEqual(onOther, []);
    await Promise.all([ws.close(), other.close()]);
  });

  it('a queued ping event the POST-only node does not pick up expires after 3 s', async () => {
    const b = nodes[1]!;
    await v2Post(s, b.token, { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 1 });
    const id = await addTask({ clients: [b.uuid] });
    await eventually(() => s.ctx.events.peek(b.uuid, 8).length === 1, 2000);
    assert.equal((await http(s.url, '/api/admin/ping/delete', { method: 'POST', cookie, body: { id: [id] } })).status, 200);
    await sleep(3200);
    const res = await v2Post(s, b.token, { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 2 });
    assert.deepEqual(res.json.result.events, []);
  });

  it('every change reschedules: one timer per distinct interval, none after delete or close', async () => {
    const [a, b] = nodes;
    const one = await addTask({ clients: [a!.uuid], interval: 30 });
    await addTask({ clients: [b!.uuid], interval: 30 });
    assert.equal(s.ctx.ping.timerCount, 1);
    await addTask({ clients: [a!.uuid], interval: 45 });
    assert.equal(s.ctx.ping.timerCount, 2);
    await http(s.url, '/api/admin/ping/delete', { method: 'POST', cookie, body: { id: [one] } });
    assert.equal(s.ctx.ping.timerCount, 2);
    await s.stop();
    assert.equal(s.ctx.ping.timerCount, 0);
    ({ s, cookie } = await startWithAdmin({ dir: s.dir }));
    assert.equal(s.ctx.ping.timerCount, 2, 'the schedule is rebuilt from the stored tasks at start');
  });
});

/**
 * A POST-only v2 agent's loop: agent.pull (long-poll) and ack, as the official agent does; the
 * distinct events that arrived within `ms`. The task fires every second, so every pull returns
 * within about a second and the loop ends on its own: no request is cut off mid-poll.
 */
async function pullFor(s: TestServer, token: string, ms: number): Promise<{ frame: any; at: number }[]> {
  const seen = new Map<string, { frame: any; at: number }>();
  const until = Date.now() + ms;
  let acks: string[] = [];
  while (Date.now() < until) {
    const body = { jsonrpc: '2.0', method: 'agent.pull', params: { capabilities: ['ping'], ack_event_ids: acks }, id: 'pull' };
    const res = await v2Post(s, token, body);
    const events = res.json.result.events as any[];
    const at = Date.now();
    for (const e of events) if (!seen.has(e.id) && at < until) seen.set(e.id, { frame: e, at });
    acks = events.map((e) => e.id);
  }
  return [...seen.values()];
}
