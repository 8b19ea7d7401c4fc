import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf, sampleReport } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

type Info = { os: string; cpu_name: string; mem_total: number; cpu_cores: number; arch: string };
type Report = Record<string, unknown>;

/** One protocol-level agent: how it uploads its basic info, reports, and stops. */
interface TestAgent {
  name: string;
  /** index: gives the agent its own figures */
  k: number;
  node: { uuid: string; token: string };
  start(info: Info): Promise<void>;
  report(report: Report): Promise<void>;
  stop(): Promise<void>;
}

const rounds = 3;

const infoOf = (a: TestAgent): Info => ({
  os: `Test OS for ${a.name}`,
  cpu_name: `Test CPU for ${a.name}`,
  mem_total: 1_000_000_000 * (a.k + 1),
  cpu_cores: a.k + 1,
  arch: 'amd64',
});

/** Agent k's report in round r: every figure is the agent's own; cpu.usage averages to 10(k+1) + 3 over the rounds. */
const reportOf = (a: TestAgent, r: number): Report =>
  sampleReport({
    cpu: { usage: 10 * (a.k + 1) + 2 * r + 1 },
    ram: { total: 1_000_000_000 * (a.k + 1), used: 100_000_000 * (a.k + 1) + r },
    load: { load1: a.k + r / 4, load5: a.k + 0.5, load15: a.k },
    network: { up: 100 * a.k + r, down: 10 * a.k + r, totalUp: 10_000 * (a.k + 1) + r, totalDown: 20_000 * (a.k + 1) + r },
    connections: { tcp: 10 * a.k + r, udp: a.k },
    uptime: 1000 * (a.k + 1) + r,
    process: 50 + a.k,
    message: `${a.name} round ${r}`,
  });

describe('one server, four agents at once: v1 socket, v1 POST, v2 socket (deflate), v2 POST (gzip)', () => {
  const clock = new ManualClock('2026-11-24T10:00:30Z');
  let s: TestServer;
  let cookie: string;
  let agents: TestAgent[];
  let v1Socket: V1Agent;
  let v2Socket: V2SocketAgent;

  const v1Post = async (path: string, body: unknown) => {
    const res = await http(s.url, path, { method: 'POST', body });
    assert.deepEqual([res.status, res.json], [200, { status: 'success' }], path);
  };
  const v2Gzip = async (token: string, method: string, params: unknown, id: string) => {
    const res = await v2Post(s, token, { jsonrpc: '2.0', method, params, id }, { gzip: true });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.result.status, 'success', res.text);
  };
  const lastReportOf = (a: TestAgent) => reportOf(a, rounds - 1);
  const names = ['v1-socket', 'v1-post', 'v2-socket', 'v2-post'];
  const [v1s, v1p, v2s, v2p] = [0, 1, 2, 3];

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    const nodes = await Promise.all(names.map((name) => addNode(s, cookie, name)));
    const agent = (k: number, ops: Pick<TestAgent, 'start' | 'report' | 'stop'>): TestAgent => ({ name: names[k]!, k, node: nodes[k]!, ...ops });
    agents = [
      agent(v1s, {
        // As the official agent: basic info over HTTP, then the socket.
        async start(info) {
          await v1Post(`/api/clients/uploadBasicInfo?token=${nodes[v1s]!.token}`, info);
          v1Socket = await V1Agent.connect(s, nodes[v1s]!.token);
        },
        async report(report) {
          v1Socket.send(report); // no reply: the feed shows when it is stored
        },
        async stop() {
          await v1Socket.close();
        },
      }),
      agent(v1p, {
        start: (info) => v1Post(`/api/clients/uploadBasicInfo?token=${nodes[v1p]!.token}`, info),
        report: (report) => v1Post(`/api/clients/report?token=${nodes[v1p]!.token}`, report),
        async stop() {}, // it just stops posting
      }),
      agent(v2s, {
        async start(info) {
          v2Socket = await V2SocketAgent.connect(s, nodes[v2s]!.token);
          assert.match(v2Socket.ws.extensions, /permessage-deflate/);
          assert.deepEqual((await v2Socket.call('agent.basicInfo', { info }, 'info')).result, { status: 'success' });
        },
        async report(report) {
          assert.equal((await v2Socket.call('agent.report', { report }, `report-${report.uptime}`)).result.status, 'success');
        },
        async stop() {
          await v2Socket.close();
        },
      }),
      agent(v2p, {
        start: (info) => v2Gzip(nodes[v2p]!.token, 'agent.basicInfo', { info }, 'info'),
        report: (report) => v2Gzip(nodes[v2p]!.token, 'agent.report', { report, ack_event_ids: [] }, `report-${report.uptime}`),
        async stop() {},
      }),
    ];
    await Promise.all(agents.map((a) => a.start(infoOf(a))));
    for (let r = 0; r < rounds; r++) await Promise.all(agents.map((a) => a.report(reportOf(a, r))));
    // The v1 socket's reports get no reply: wait until its last one is stored.
    const v1Last = lastReportOf(agents[v1s]!).uptime;
    await eventually(async () => (await feedOf(s.url)).data[nodes[v1s]!.uuid]?.uptime === v1Last);
  });
  after(() => s.dispose());

  it('all four are online in /api/clients, each with the last report it sent', async () => {
    const feed = await feedOf(s.url);
    for (const a of agents) {
      assert.ok(feed.online.includes(a.node.uuid), `${a.name} online`);
      const { updated_at, ...shown } = feed.data[a.node.uuid];
      assert.deepEqual(shown, lastReportOf(a), a.name);
      assert.equal(typeof updated_at, 'string', `${a.name} updated_at`);
    }
  });

  it('/api/nodes shows the basic info each agent uploaded through its own protocol', async () => {
    const nodes: any[] = (await http(s.url, '/api/nodes')).json.data;
    for (const a of agents) {
      const node = nodes.find((n) => n.uuid === a.node.uuid);
      const { os, cpu_name, mem_total } = infoOf(a);
      assert.deepEqual({ os: node.os, cpu_name: node.cpu_name, mem_total: node.mem_total }, { os, cpu_name, mem_total }, a.name);
    }
  });

  it("/api/records/load has a record with each node's cpu average", async () => {
    for (const a of agents) {
      const res = await http(s.url, `/api/records/load?uuid=${a.node.uuid}&hours=1`, { cookie });
      assert.equal(res.status, 200, res.text);
      const records: { cpu: number }[] = res.json.data.records;
      const average = 10 * (a.k + 1) + 3;
      assert.ok(records.some((r) => r.cpu === average), `${a.name}: cpu ${average} in ${JSON.stringify(records.map((r) => r.cpu))}`);
    }
  });

  it('stopped, the socket agents are offline at once and the POST agents once their 35 s presence lapses', async () => {
    await Promise.all(agents.map((a) => a.stop()));
    const isOnline = (online: string[], ks: number[]) => ks.map((k) => online.includes(agents[k]!.node.uuid));
    const online = (await feedOf(s.url)).online;
    assert.deepEqual(isOnline(online, [v1s, v2s]), [false, false], 'closed sockets are offline');
    assert.deepEqual(isOnline(online, [v1p, v2p]), [true, true], 'POST agents hold their presence');
    clock.advance(36_000);
    // The presence sweep runs every second.
    await eventually(async () => isOnline((await feedOf(s.url)).online, [v1p, v2p]).every((on) => !on), 2500);
  });
});
