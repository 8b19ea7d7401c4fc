import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from './helpers/clock.ts';
import { addNode, eventually, feedKeys, feedOf, sampleReport } from './helpers/agent-common.ts';
import { http, type HttpResult, startTestServer, startWithAdmin, type TestServer } from './helpers/server.ts';

/** Agent-facing answers carry Content-Length and are never compressed (decision 3, §2). */
function assertAgentFacing(res: HttpResult): void {
  assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(res.text)));
  assert.equal(res.headers.get('content-encoding'), null);
  assert.equal(res.headers.get('transfer-encoding'), null);
}

const post = (s: TestServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
  http(s.url, path, { method: 'POST', body, headers: { 'accept-encoding': 'gzip, deflate, br', ...headers } });

describe('v1 agent POST /api/clients/report and /uploadBasicInfo', () => {
  let s: TestServer;
  let cookie: string;

  before(async () => ({ s, cookie } = await startWithAdmin()));
  after(() => s.dispose());

  it('a POST agent is online with its report echoed in the seed shape', async () => {
    const { uuid, token } = await addNode(s, cookie, 'post-agent');
    const res = await post(s, `/api/clients/report?token=${token}`, sampleReport({ uptime: 42 }));
    assert.deepEqual([res.status, res.json], [200, { status: 'success' }]);
    assertAgentFacing(res);
    const feed = await feedOf(s.url);
    assert.ok(feed.online.includes(uuid));
    assert.deepEqual(Object.keys(feed.data[uuid]), feedKeys);
    assert.equal(feed.data[uuid].uptime, 42);
    assert.deepEqual(feed.data[uuid].disk, sampleReport().disk);
  });

  it('the token may be in the body', async () => {
    const { uuid, token } = await addNode(s, cookie, 'body-token');
    const res = await post(s, '/api/clients/report', { ...sampleReport({ uptime: 7 }), token });
    assert.deepEqual([res.status, res.json], [200, { status: 'success' }]);
    assert.equal((await feedOf(s.url)).data[uuid].uptime, 7);
  });

  it('a body uuid of another node is ignored: a token writes only its own node (decision 4)', async () => {
    const mine = await addNode(s, cookie, 'mine');
    const victim = await addNode(s, cookie, 'victim');
    const res = await post(s, `/api/clients/report?token=${mine.token}`, { ...sampleReport({ uptime: 9 }), uuid: victim.uuid });
    assert.equal(res.status, 200);
    const feed = await feedOf(s.url);
    assert.equal(feed.data[mine.uuid].uptime, 9);
    assert.equal(feed.data[victim.uuid], undefined);
    assert.equal(feed.online.includes(victim.uuid), false);
  });

  it('a bad body is 400 "Invalid request body", a range error 500 with the message; neither stores anything', async () => {
    const { uuid, token } = await addNode(s, cookie, 'bad-post');
    for (const body of ['{"cpu":', '', '[1]', 'null', { cpu: { usage: 'x' } }, { process: 1.5 }]) {
      const res = await post(s, `/api/clients/report?token=${token}`, body);
      assert.deepEqual([res.status, res.json], [400, { error: 'Invalid request body' }], JSON.stringify(body));
      assertAgentFacing(res);
    }
    const range = await post(s, `/api/clients/report?token=${token}`, sampleReport({ cpu: { usage: 101 } }));
    assert.deepEqual([range.status, range.json], [500, { error: 'CPU.Usage must be between 0 and 100' }]);
    assertAgentFacing(range);
    const huge = await post(s, `/api/clients/report?token=${token}`, sampleReport({ message: 'x'.repeat(1024 * 1024) }));
    assert.equal(huge.status, 413);
    const feed = await feedOf(s.url);
    assert.equal(feed.data[uuid], undefined);
    assert.equal(feed.online.includes(uuid), false);
  });

  it('a report with a member nested 60,000 deep is read like any other (not a stack overflow 500): unknown members ignored, a wrong type 400', async () => {
    const { uuid, token } = await addNode(s, cookie, 'deep-post');
    const deep = (n: number) => '{"a":'.repeat(n) + 'null' + '}'.repeat(n);
    const wrongType = await post(s, `/api/clients/report?token=${token}`, `{"uptime":${deep(60_000)}}`);
    assert.deepEqual([wrongType.status, wrongType.json], [400, { error: 'Invalid request body' }]);
    // nulls in known members still read as absent
    const body = `{"junk":${deep(60_000)},"cpu":{"usage":3,"x":${deep(60_000)}},"uptime":5,"gpu":{"detailed_info":[{"name":null}]}}`;
    const res = await post(s, `/api/clients/report?token=${token}`, body);
    assert.deepEqual([res.status, res.json], [200, { status: 'success' }]);
    const seen = (await feedOf(s.url)).data[uuid];
    assert.deepEqual([seen.uptime, seen.cpu.usage], [5, 3]);
  });

  it('a bad token gets the gate 401; an admin without an agent token has no UUID', async () => {
    const bad = await post(s, '/api/clients/report?token=nope', sampleReport());
    assert.deepEqual([bad.status, bad.json], [401, { status: 'error', message: 'Unauthorized.' }]);
    const admin = await http(s.url, '/api/clients/report', { method: 'POST', cookie, body: sampleReport() });
    assert.deepEqual([admin.status, admin.json], [400, { error: 'UUID is required' }]);
  });

  it('uploadBasicInfo saves the info, with the request address when the agent sent none', async () => {
    const { uuid, token } = await addNode(s, cookie, 'info');
    const res = await post(s, `/api/clients/uploadBasicInfo?token=${token}`, { cpu_name: 'EPYC', os: 'Alpine', mem_total: 1024, ipv4: '', unknown_key: 1 });
    assert.deepEqual([res.status, res.json], [200, { status: 'success' }]);
    assertAgentFacing(res);
    const node = (await http(s.url, `/api/admin/client/${uuid}`, { cookie })).json;
    assert.deepEqual([node.cpu_name, node.os, node.mem_total, node.ipv4], ['EPYC', 'Alpine', 1024, '127.0.0.1']);
    await post(s, `/api/clients/uploadBasicInfo?token=${token}`, { ipv6: '2001:db8::1' });
    const again = (await http(s.url, `/api/admin/client/${uuid}`, { cookie })).json;
    assert.deepEqual([again.ipv4, again.ipv6], ['127.0.0.1', '2001:db8::1']);
  });

  it('uploadBasicInfo: bad JSON 400 first, then a token not in the query 400, bad values 500', async () => {
    const { uuid, token } = await addNode(s, cookie, 'info-errors');
    const garbled = await post(s, `/api/clients/uploadBasicInfo?Authorization=${token}`, '{"os":');
    assert.deepEqual([garbled.status, garbled.json], [400, { status: 'error', error: 'Invalid or missing data' }]);
    const viaAuthz = await post(s, `/api/clients/uploadBasicInfo?Authorization=${token}`, { os: 'x' });
    assert.deepEqual([viaAuthz.status, viaAuthz.json], [400, { status: 'error', error: 'Invalid token' }]);
    const viaBody = await post(s, '/api/clients/uploadBasicInfo', { os: 'x', token });
    assert.deepEqual([viaBody.status, viaBody.json], [400, { status: 'error', error: 'Invalid token' }]);
    assertAgentFacing(viaBody);
    const negative = await post(s, `/api/clients/uploadBasicInfo?token=${token}`, { os: 'y', mem_total: -1 });
    assert.equal(negative.status, 500);
    assert.equal(negative.json.status, 'error');
    assert.equal(typeof negative.json.error, 'string');
    assertAgentFacing(negative);
    const node = (await http(s.url, `/api/admin/client/${uuid}`, { cookie })).json;
    assert.equal(node.os, '', 'nothing was saved');
  });
});

describe('v1 POST presence', () => {
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  let s: TestServer;

  before(async () => {
    s = await startTestServer({ clock });
  });
  after(() => s.dispose());

  it('a POST agent stays online for 35 s after its last report, then goes offline', async () => {
    const cookie = await s.login();
    const { uuid, token } = await addNode(s, cookie, 'presence');
    assert.equal((await post(s, `/api/clients/report?token=${token}`, sampleReport())).status, 200);
    clock.advance(30_000);
    await new Promise((r) => setTimeout(r, 1200));
    assert.ok((await feedOf(s.url)).online.includes(uuid), 'still online at 30 s');
    clock.advance(6_000);
    await eventually(async () => !(await feedOf(s.url)).online.includes(uuid), 2500);
  });
});
