import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { hasSample, parseExposition, sampleOf, type Exposition } from './helpers/exposition-parser.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { v2Post, V2SocketAgent } from './helpers/v2-agent.ts';

const apiKey = 'prom-scrape-Wq4Zr9Kx2Mv7Bn1Tj6Hp3Ls8Dc';
const oddName = 'a"b\\c\nd';

describe('GET /metrics: Prometheus text format for admins and the API key', () => {
  let s: TestServer;
  let cookie: string;
  let agent: V2SocketAgent;
  let web: { uuid: string; token: string };
  let odd: { uuid: string; token: string };
  let silent: { uuid: string; token: string };
  let taskId: number;
  const report = sampleReport({ cpu: { usage: 12.5 }, swap: { total: 2048, used: 1024 }, network: { up: 300, down: 700, totalUp: 1809183, totalDown: 504747105 } });

  const scrape = (headers: Record<string, string> = { authorization: `Bearer ${apiKey}` }) => http(s.url, '/metrics', { headers });
  const scraped = async (): Promise<Exposition> => {
    const res = await scrape();
    assert.equal(res.status, 200, res.text);
    return parseExposition(res.text);
  };

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    const saved = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { api_key: apiKey } });
    assert.equal(saved.status, 200, saved.text);
    web = await addNode(s, cookie, 'web-1');
    odd = await addNode(s, cookie, oddName);
    silent = await addNode(s, cookie, 'silent');
    await http(s.url, `/api/admin/client/${web.uuid}/edit`, { method: 'POST', cookie, body: { group: 'edge' } });
    await http(s.url, `/api/admin/client/${odd.uuid}/edit`, { method: 'POST', cookie, body: { hidden: true } });
    const task = await http(s.url, '/api/admin/ping/add', {
      method: 'POST',
      cookie,
      body: { name: 'probe "one"', type: 'icmp', target: '1.1.1.1', interval: 60, clients: [web.uuid, silent.uuid] },
    });
    assert.equal(task.status, 200, task.text);
    taskId = task.json.data.task_id;

    agent = await V2SocketAgent.connect(s, web.token);
    const answered = await agent.call('agent.report', { report });
    assert.equal(answered.error, undefined, JSON.stringify(answered));
    for (const [i, value] of [20, -1, 30].entries()) {
      const res = await agent.call('agent.pingResult', { task_id: taskId, value, ping_type: 'icmp' }, `ping-${i}`);
      assert.equal(res.error, undefined, JSON.stringify(res));
    }
    const posted = await v2Post(s, odd.token, { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport() }, id: 1 });
    assert.equal(posted.status, 200, posted.text);
  });
  after(async () => {
    await agent.close();
    await s.dispose();
  });

  it('answers the API key as a bearer token with the 0.0.4 text format, which parses strictly', async () => {
    const res = await scrape();
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const e = parseExposition(res.text);
    for (const name of e.types.keys()) assert.match(name, /^komari_/);
    for (const [name, type] of e.types) if (name.endsWith('_total')) assert.equal(type, 'counter', name);
  });

  it('gzips the scrape for Accept-Encoding: gzip, as Prometheus asks, and not for identity', async () => {
    const raw = (encoding: string) =>
      new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const req = request(`${s.url}/metrics`, { headers: { authorization: `Bearer ${apiKey}`, 'accept-encoding': encoding } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
        req.end();
      });
    const zipped = await raw('gzip');
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const e = parseExposition(gunzipSync(zipped.body).toString('utf8'));
    assert.equal(sampleOf(e, 'komari_node_online', { uuid: web.uuid }), 1);
    for (const encoding of ['identity', 'gzip;q=0']) {
      const plain = await raw(encoding);
      assert.equal(plain.headers['content-encoding'], undefined, encoding);
      parseExposition(plain.body.toString('utf8'));
    }
  });

  it('answers an admin session cookie too', async () => {
    const res = await http(s.url, '/metrics', { cookie });
    assert.equal(res.status, 200);
    assert.equal(sampleOf(parseExposition(res.text), 'komari_node_online', { uuid: web.uuid }), 1);
  });

  it('refuses guests, a wrong key, a key without Bearer and an agent token with the JSON 401', async () => {
    const refused: Record<string, string>[] = [{}, { authorization: `Bearer ${apiKey}x` }, { authorization: apiKey }, { authorization: `Bearer ${web.token}` }];
    for (const headers of refused) {
      const res = await scrape(headers);
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
      assert.doesNotMatch(res.text, /komari_/);
    }
    assert.equal((await http(s.url, `/metrics?token=${web.token}`)).status, 401);
  });

  it('gives each reporting node the figures of its latest report, in base units, labelled uuid, name and group', async () => {
    const e = await scraped();
    const l = { uuid: web.uuid, name: 'web-1', group: 'edge' };
    assert.equal(sampleOf(e, 'komari_node_cpu_usage_ratio', l), 0.125);
    assert.equal(sampleOf(e, 'komari_node_memory_used_bytes', l), 131346432);
    assert.equal(sampleOf(e, 'komari_node_memory_total_bytes', l), 25276063744);
    assert.equal(sampleOf(e, 'komari_node_swap_used_bytes', l), 1024);
    assert.equal(sampleOf(e, 'komari_node_swap_total_bytes', l), 2048);
    assert.equal(sampleOf(e, 'komari_node_disk_used_bytes', l), 27765977088);
    assert.equal(sampleOf(e, 'komari_node_disk_total_bytes', l), 270553174016);
    assert.equal(sampleOf(e, 'komari_node_network_receive_bytes_per_second', l), 700);
    assert.equal(sampleOf(e, 'komari_node_network_transmit_bytes_per_second', l), 300);
    assert.equal(sampleOf(e, 'komari_node_network_receive_bytes_total', l), 504747105);
    assert.equal(sampleOf(e, 'komari_node_network_transmit_bytes_total', l), 1809183);
    assert.equal(e.types.get('komari_node_network_receive_bytes_total'), 'counter');
    assert.equal(sampleOf(e, 'komari_node_load1', l), 0.24);
    assert.equal(sampleOf(e, 'komari_node_load5', l), 0.27);
    assert.equal(sampleOf(e, 'komari_node_load15', l), 0.39);
    assert.equal(sampleOf(e, 'komari_node_tcp_connections', l), 6);
    assert.equal(sampleOf(e, 'komari_node_udp_connections', l), 0);
    assert.equal(sampleOf(e, 'komari_node_processes', l), 74);
    assert.equal(sampleOf(e, 'komari_node_uptime_seconds', l), 1728);
    assert.equal(sampleOf(e, 'komari_node_online', l), 1);
    const at = sampleOf(e, 'komari_node_last_report_timestamp_seconds', l);
    assert.ok(Math.abs(at - Date.now() / 1000) < 60, String(at));
  });

  it('a node that never reported is offline (0) and has no report figures', async () => {
    const e = await scraped();
    assert.equal(sampleOf(e, 'komari_node_online', { uuid: silent.uuid, name: 'silent', group: '' }), 0);
    assert.equal(hasSample(e, 'komari_node_cpu_usage_ratio', { uuid: silent.uuid }), false);
    assert.equal(hasSample(e, 'komari_node_last_report_timestamp_seconds', { uuid: silent.uuid }), false);
  });

  it('escapes a name with a double quote, a backslash and a line feed, and includes the hidden node', async () => {
    const res = await scrape();
    assert.ok(res.text.includes(`komari_node_online{uuid="${odd.uuid}",name="a\\"b\\\\c\\nd",group=""} 1\n`), 'the escaped line');
    const e = parseExposition(res.text);
    assert.equal(sampleOf(e, 'komari_node_memory_used_bytes', { uuid: odd.uuid, name: oddName }), 131346432);
  });

  it('gives ping latency in seconds and the loss ratio per task and node, from the recent results', async () => {
    const e = await scraped();
    const l = { task_id: String(taskId), task: 'probe "one"', uuid: web.uuid, name: 'web-1' };
    assert.equal(sampleOf(e, 'komari_ping_latency_seconds', l), 0.03);
    assert.equal(sampleOf(e, 'komari_ping_loss_ratio', l), 1 / 3);
    assert.equal(sampleOf(e, 'komari_ping_results_total', l), 3);
    assert.equal(sampleOf(e, 'komari_ping_lost_total', l), 1);
    // listed by the task, but no result yet
    assert.equal(hasSample(e, 'komari_ping_loss_ratio', { uuid: silent.uuid }), false);
  });

  it('gives the server’s own figures: ingested reports, sockets, event loop, history flush, memory, database, build', async () => {
    await s.ctx.history.flush();
    const e = await scraped();
    assert.equal(sampleOf(e, 'komari_reports_ingested_total'), 2);
    assert.equal(sampleOf(e, 'komari_sockets', { kind: 'agent_v2' }), 1);
    assert.equal(sampleOf(e, 'komari_sockets', { kind: 'agent_v1' }), 0);
    assert.equal(sampleOf(e, 'komari_sockets', { kind: 'viewer' }), 0);
    assert.equal(sampleOf(e, 'komari_sockets', { kind: 'terminal' }), 0);
    for (const q of ['mean', 'p50', 'p99', 'max']) assert.ok(sampleOf(e, `komari_event_loop_lag_${q}_seconds`) >= 0);
    assert.ok(sampleOf(e, 'komari_history_flush_duration_seconds') >= 0);
    assert.ok(sampleOf(e, 'komari_history_last_flush_timestamp_seconds') > 1e9);
    assert.equal(sampleOf(e, 'komari_history_dropped_buckets_total'), 0);
    assert.ok(sampleOf(e, 'komari_process_resident_memory_bytes') > 1e6);
    assert.ok(sampleOf(e, 'komari_database_size_bytes') > 0);
    assert.equal(sampleOf(e, 'komari_nodes'), 3);
    assert.equal(sampleOf(e, 'komari_build_info', { version: s.ctx.config.version }), 1);
  });

  it('counts another report at once', async () => {
    const before = sampleOf(await scraped(), 'komari_reports_ingested_total');
    await agent.call('agent.report', { report: sampleReport({ cpu: { usage: 50 } }) });
    const e = await scraped();
    assert.equal(sampleOf(e, 'komari_reports_ingested_total'), before + 1);
    assert.equal(sampleOf(e, 'komari_node_cpu_usage_ratio', { uuid: web.uuid }), 0.5);
  });

  it('every metric the Grafana dashboard queries is in a real scrape', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../../deploy/grafana/komari-dashboard.json', import.meta.url), 'utf8'));
    const queries: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if ((k === 'expr' || k === 'query' || k === 'definition') && typeof x === 'string') queries.push(x);
          else walk(x);
        }
      }
    };
    walk(dashboard);
    assert.ok(queries.length >= 8, `${queries.length} queries`);
    const e = await scraped();
    const used = new Set(queries.flatMap((q) => q.match(/\bkomari_[a-z0-9_]+/g) ?? []));
    assert.ok(used.size >= 10, [...used].join(' '));
    for (const name of used) assert.ok(e.types.has(name), `the dashboard queries ${name}, which no scrape has`);
    assert.ok(dashboard.templating.list.some((t: { name: string }) => t.name === 'node'), 'a $node variable');
  });

  it('a deleted ping task leaves the scrape', async () => {
    const res = await http(s.url, '/api/admin/ping/delete', { method: 'POST', cookie, body: { id: [taskId] } });
    assert.equal(res.status, 200, res.text);
    const e = await scraped();
    assert.equal(hasSample(e, 'komari_ping_latency_seconds'), false);
    assert.equal(s.ctx.ping.recent.get(taskId, web.uuid), undefined);
  });
});
