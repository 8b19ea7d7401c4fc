import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { agentPostBodyLimit } from '../src/files/limits.ts';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';
import { upgradeStatus } from './helpers/ws.ts';

const report = (over: Record<string, unknown> = {}, id: unknown = 1) => ({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport(over) }, id });

describe('v2 agent endpoint: refusals and malformed input', () => {
  let s: TestServer;
  let cookie: string;
  let a: { uuid: string; token: string };
  let b: { uuid: string; token: string };
  const wsUrl = (q: string) => `${s.url.replace(/^http/, 'ws')}/api/clients/v2/rpc${q}`;
  const stored = (uuid: string) => s.ctx.live.latest(uuid);

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    a = await addNode(s, cookie, 'a');
    b = await addNode(s, cookie, 'b');
  });
  after(() => s.dispose());

  it('a bad or missing token is refused with 401 before the upgrade and on POST', async () => {
    assert.equal(await upgradeStatus(wsUrl('?token=nope')), 401);
    assert.equal(await upgradeStatus(wsUrl('')), 401);
    for (const query of ['?token=nope', '']) {
      const res = await v2Post(s, '', report(), { query, gzip: true });
      assert.equal(res.status, 401);
      assert.deepEqual(res.json, { status: 'error', message: 'Unauthorized.' });
    }
    assert.equal(await upgradeStatus(wsUrl(`?token=${a.token}`), { Origin: 'http://elsewhere.example' }), 403, 'a foreign Origin is refused');
    assert.equal(stored(a.uuid), undefined);
  });

  it('an admin without an agent token: POST 401 -32001 with the id; socket one -32001 frame, then close', async () => {
    const res = await v2Post(s, '', report({}, 'r-9'), { query: '', cookie });
    assert.equal(res.status, 401);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 'r-9', error: { code: -32001, message: 'invalid token' } });
    const admin = await V2SocketAgent.connect(s, '', { headers: { Origin: s.url, Cookie: `session_token=${cookie}` } });
    assert.deepEqual(await admin.next(), { jsonrpc: '2.0', error: { code: -32001, message: 'invalid token' } });
    await admin.closed;
    const withToken = await v2Post(s, a.token, report({ uptime: 5 }, 1), { cookie });
    assert.equal(withToken.status, 200, 'an admin session with ?token= reports for that node, as in Komari');
  });

  it('a plain GET is 400 Require WebSocket upgrade', async () => {
    const res = await http(s.url, `/api/clients/v2/rpc?token=${a.token}`);
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, { status: 'error', error: 'Require WebSocket upgrade' });
  });

  it('undecodable POST bodies are 400 parse errors without id', async () => {
    for (const body of ['', 'not json', '[{"jsonrpc":"2.0","method":"agent.report"}]', '"agent.report"', '42', '{"jsonrpc":2,"method":"agent.report","id":1}', '{"jsonrpc":"2.0","method":["x"],"id":1}']) {
      const res = await v2Post(s, b.token, body);
      assert.equal(res.status, 400, body);
      assert.deepEqual(Object.keys(res.json), ['jsonrpc', 'error'], body);
      assert.equal(res.json.error.code, -32700);
      assert.equal(res.json.error.message, 'parse error');
      assert.equal(typeof res.json.error.data, 'string');
    }
  });

  it('bad requests get the exact codes and messages, HTTP 400, and store nothing', async () => {
    const cases: Array<[unknown, number, string, unknown?]> = [
      [{ jsonrpc: '1.0', method: 'agent.report', id: 1 }, -32600, 'invalid jsonrpc version'],
      [{ method: 'agent.report', id: 1 }, -32600, 'invalid jsonrpc version'],
      [{ jsonrpc: '2.0', method: 'agent.nope', id: 1 }, -32601, 'method not found', 'agent.nope'],
      [{ jsonrpc: '2.0', method: 'agent.pingResult', params: { task_id: 'x', value: 1 }, id: 1 }, -32602, 'invalid ping result params'],
      [{ jsonrpc: '2.0', method: 'agent.taskResult', params: {}, id: 1 }, -32602, 'invalid task result params'],
      [report({ cpu: { usage: 'high' } }), -32602, 'invalid report params'],
      [{ jsonrpc: '2.0', method: 'agent.report', params: 'x', id: 1 }, -32602, 'invalid report params'],
      [{ jsonrpc: '2.0', method: 'agent.report', params: {}, id: 1 }, -32602, 'invalid report params'],
      [{ ...report(), params: { report: sampleReport(), ack_event_ids: [true] } }, -32602, 'invalid report params'],
      [report({ cpu: { usage: 101 } }), -32000, 'failed to save report', 'CPU.Usage must be between 0 and 100'],
      [report({ ram: { total: 1, used: -1 } }), -32000, 'failed to save report', 'Ram.Used must be non-negative, got -1'],
      [{ jsonrpc: '2.0', method: 'agent.basicInfo', params: { info: 'x' }, id: 1 }, -32602, 'invalid basic info params'],
      [{ jsonrpc: '2.0', method: 'agent.basicInfo', params: { info: { cpu_cores: -1 } }, id: 1 }, -32000, 'failed to save basic info'],
      [{ jsonrpc: '2.0', method: 'agent.pull', params: { capabilities: 'exec' }, id: 1 }, -32602, 'invalid pull params'],
      [{ jsonrpc: '2.0', method: 'agent.pull', params: { ack_event_ids: {} }, id: 1 }, -32602, 'invalid pull params'],
    ];
    for (const [body, code, message, data] of cases) {
      const res = await v2Post(s, b.token, body, { gzip: true });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.id, 1);
      assert.equal(res.json.error.code, code, JSON.stringify(body));
      assert.equal(res.json.error.message, message);
      if (data !== undefined) assert.equal(res.json.error.data, data);
    }
    assert.equal(stored(b.uuid), undefined);
    assert.equal(s.ctx.live.isOnline(b.uuid), false, 'refused requests do not mark the node present');
  });

  it('a gzip header over a body that is not gzip is -32700 invalid compressed body; the token check comes first', async () => {
    const res = await v2Post(s, b.token, JSON.stringify(report()), { headers: { 'content-encoding': 'gzip' } });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, -32700);
    assert.equal(res.json.error.message, 'invalid compressed body');
    assert.equal(res.json.id, undefined);
    const bad = await v2Post(s, '', JSON.stringify(report()), { query: '?token=nope', headers: { 'content-encoding': 'gzip' } });
    assert.equal(bad.status, 401);
    assert.equal(stored(b.uuid), undefined);
  });

  it('a gzip bomb (small on the wire, one byte past the POST limit inflated) is refused with 413 and stores nothing', async () => {
    const limit = agentPostBodyLimit(s.ctx.limits.files, s.ctx.config.bodyLimit);
    const envelope = JSON.stringify(report({ message: '' }));
    const huge = JSON.stringify(report({ message: 'x'.repeat(limit + 1 - envelope.length) }));
    assert.equal(huge.length, limit + 1);
    const body = gzipSync(huge);
    assert.ok(body.length < 16 * 1024);
    const res = await fetch(`${s.url}/api/clients/v2/rpc?token=${b.token}`, { method: 'POST', headers: { 'content-encoding': 'gzip' }, body });
    assert.equal(res.status, 413);
    assert.deepEqual(await res.json(), { status: 'error', message: `Request body is too large (limit ${limit} bytes)` });
    assert.equal(stored(b.uuid), undefined);
  });

  it('the POST limit fits a file result of the whole edit limit (base64 + envelope), over KOMARI_BODY_LIMIT; past it 413, plain or gzip', async () => {
    const limit = agentPostBodyLimit(s.ctx.limits.files, s.ctx.config.bodyLimit);
    assert.ok(limit >= Math.ceil(s.ctx.limits.files.editBytes / 3) * 4 + 1024, 'a 4 MiB read result fits');
    assert.ok(limit > s.ctx.config.bodyLimit);
    const plain = await fetch(`${s.url}/api/clients/v2/rpc?token=${b.token}`, { method: 'POST', body: 'x'.repeat(limit + 1) });
    assert.equal(plain.status, 413);
    // other routes keep the server-wide limit
    const rpc2 = await fetch(`${s.url}/api/rpc2`, { method: 'POST', headers: { cookie: `session_token=${cookie}` }, body: 'x'.repeat(s.ctx.config.bodyLimit + 1) });
    assert.equal(rpc2.status, 413);
    assert.deepEqual(await rpc2.json(), { status: 'error', message: `Request body is too large (limit ${s.ctx.config.bodyLimit} bytes)` });
    assert.equal(stored(b.uuid), undefined);
  });

  it('malformed frames get a parse error without id, bad notifications no reply; the socket survives', async () => {
    const agent = await V2SocketAgent.connect(s, b.token);
    for (const frame of ['not json', '[{"jsonrpc":"2.0"}]', '42', '"x"', '{"jsonrpc":"2.0","method":5,"id":1}']) {
      agent.send(frame);
      const reply = await agent.next();
      assert.deepEqual(Object.keys(reply), ['jsonrpc', 'error'], frame);
      assert.deepEqual({ code: reply.error.code, message: reply.error.message }, { code: -32700, message: 'parse error' });
      assert.equal(typeof reply.error.data, 'string');
    }
    agent.send({ jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport({ cpu: { usage: -1 } }) } });
    agent.send({ jsonrpc: '2.0', method: 'agent.nope', id: null });
    await agent.assertQuiet();
    const refused = await agent.call('agent.report', { report: sampleReport({ cpu: { usage: 101 } }) }, 'x');
    assert.deepEqual(refused, { jsonrpc: '2.0', id: 'x', error: { code: -32000, message: 'failed to save report', data: 'CPU.Usage must be between 0 and 100' } });
    assert.equal(stored(b.uuid), undefined);
    const ok = await agent.call('agent.report', { report: sampleReport({ uptime: 77 }) }, 'y');
    assert.deepEqual(ok.result, { status: 'success', events: [] });
    assert.equal(stored(b.uuid)?.report.uptime, 77);
    await agent.close();
  });

  it('a frame over 1 MiB (even deflated small) closes that socket with 1009; another agent keeps working', async () => {
    const big = await V2SocketAgent.connect(s, a.token);
    const other = await V2SocketAgent.connect(s, b.token);
    big.send(JSON.stringify(report({ message: ' '.repeat(1024 * 1024) })));
    assert.equal((await big.closed).code, 1009);
    const ok = await other.call('agent.report', { report: sampleReport({ uptime: 78 }) }, 1);
    assert.equal(ok.result.status, 'success');
    assert.equal(stored(b.uuid)?.report.uptime, 78);
    const plain = await V2SocketAgent.connect(s, a.token, { compress: false });
    plain.send(JSON.stringify(report({ message: ' '.repeat(1024 * 1024) })));
    assert.equal((await plain.closed).code, 1009);
    await other.close();
  });

  it('a compressed message split over several frames is put back together', async () => {
    const agent = await V2SocketAgent.connect(s, a.token);
    const text = JSON.stringify(report({ uptime: 4321, message: 'x'.repeat(20_000) }, 'frag'));
    const cut = [0, 7000, 14000, text.length];
    for (let i = 0; i < 3; i++) agent.ws.send(text.slice(cut[i], cut[i + 1]), { compress: true, fin: i === 2 });
    const answer = await agent.next();
    assert.deepEqual(answer, { jsonrpc: '2.0', id: 'frag', result: { status: 'success', events: [] } });
    assert.equal(stored(a.uuid)?.report.uptime, 4321);
    await agent.close();
  });

  it('a compressed frame that does not inflate closes that socket, and changes nothing', async () => {
    const agent = await V2SocketAgent.connect(s, a.token);
    const before = stored(a.uuid);
    // A masked text frame with RSV1 set (compressed) whose payload is not deflate data.
    const payload = Buffer.from([0xff, 0xfe, 0xfd, 0xfc, 0x01, 0x02]);
    const mask = Buffer.from([1, 2, 3, 4]);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
    const raw = (agent.ws as unknown as { _socket: Socket })._socket;
    raw.write(Buffer.concat([Buffer.from([0xc1, 0x80 | payload.length]), mask, masked]));
    const closed = await agent.closed;
    assert.notEqual(closed.code, 1000);
    assert.deepEqual(stored(a.uuid), before);
  });
});
