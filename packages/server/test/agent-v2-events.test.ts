import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from './helpers/clock.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { addNode, sampleReport } from './helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';
import { V2SocketAgent, v2Post } from './helpers/v2-agent.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('v2 event queue: delivery to POST-only agents, long-poll, acks, socket push', () => {
  const clock = new ManualClock('2026-11-24T10:00:00Z');
  let s: TestServer;
  let cookie: string;

  before(async () => ({ s, cookie } = await startWithAdmin({ clock })));
  after(() => s.dispose());

  const enqueue = (uuid: string, n: number) =>
    Array.from({ length: n }, (_, i) => s.ctx.events.enqueue(uuid, 'agent.exec', { task_id: `task-${i}`, command: `echo ${i}` }));
  const postReport = async (token: string, acks?: unknown[]) => {
    const res = await v2Post(s, token, { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport(), ack_event_ids: acks }, id: 'r' }, { gzip: true });
    assert.equal(res.status, 200, res.text);
    return res.json.result.events as any[];
  };
  const postPull = async (token: string, acks: unknown[] = []) => {
    const params = { capabilities: ['exec', 'ping'], ack_event_ids: acks, last_event_id: '' };
    const res = await v2Post(s, token, { jsonrpc: '2.0', method: 'agent.pull', params, id: 'p' }, { gzip: true });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json.result), ['events']);
    return res.json.result.events as any[];
  };

  it('agent.report returns the 8 oldest pending events, agent.pull all of them, again and again until acked', async () => {
    const { uuid, token } = await addNode(s, cookie, 'post-only');
    const queued = enqueue(uuid, 10);
    const first = await postReport(token);
    assert.deepEqual(first.map((e) => e.id), queued.slice(0, 8).map((e) => e.id));
    assert.deepEqual(first[0], {
      id: queued[0]!.id,
      method: 'agent.exec',
      params: { task_id: 'task-0', command: 'echo 0' },
      created_at: '2026-11-24T10:00:00Z',
      expires_at: '2026-11-24T10:05:00Z',
    });
    assert.match(first[0].id, /^[0-9a-f]{16}$/);
    assert.deepEqual((await postReport(token)).map((e) => e.id), first.map((e) => e.id), 'at-least-once: unacked events return');
    assert.deepEqual((await postPull(token)).map((e) => e.id), queued.map((e) => e.id));
    const afterAck = await postReport(token, queued.slice(0, 3).map((e) => e.id));
    assert.deepEqual(afterAck.map((e) => e.id), queued.slice(3).map((e) => e.id));
    const pulled = await postPull(token, [queued[3]!.id, 'unknown-id', queued[3]!.id]);
    assert.deepEqual(pulled.map((e) => e.id), queued.slice(4).map((e) => e.id));
    s.ctx.events.forget(uuid);
  });

  it('numeric ack ids are matched as their decimal string', async () => {
    const { uuid, token } = await addNode(s, cookie, 'numeric-acks');
    const [numeric, other] = enqueue(uuid, 2);
    numeric!.id = '1795481504'; // a numeric-looking id, acked as a number the way the C agent does
    assert.deepEqual((await postReport(token, [1795481504])).map((e) => e.id), [other!.id]);
    assert.deepEqual(await postReport(token, [other!.id]), []);
  });

  it('acks are applied only when the report is stored', async () => {
    const { uuid, token } = await addNode(s, cookie, 'refused-report');
    const [event] = enqueue(uuid, 1);
    const bad = { jsonrpc: '2.0', method: 'agent.report', params: { report: sampleReport({ cpu: { usage: 200 } }), ack_event_ids: [event!.id] }, id: 1 };
    const res = await v2Post(s, token, bad, { gzip: true });
    assert.equal(res.status, 400);
    assert.equal(res.json.error.code, -32000);
    assert.deepEqual((await postReport(token)).map((e) => e.id), [event!.id]);
    s.ctx.events.forget(uuid);
  });

  it('events expire after their TTL: pings after 3 s, other commands after 5 min', async () => {
    const { uuid, token } = await addNode(s, cookie, 'expiry');
    const [exec] = enqueue(uuid, 1);
    s.ctx.events.enqueue(uuid, 'agent.ping', { ping_task_id: 3, ping_type: 'tcp', ping_target: '1.1.1.1:443' });
    assert.equal((await postReport(token)).length, 2);
    clock.advance(3_001);
    assert.deepEqual((await postReport(token)).map((e) => e.id), [exec!.id]);
    clock.advance(5 * 60_000);
    assert.deepEqual(await postReport(token), []);
  });

  it('agent.pull with nothing pending waits, keeps the node present, and returns an event enqueued meanwhile at once', async () => {
    const { uuid, token } = await addNode(s, cookie, 'long-poll');
    const started = Date.now();
    const pulling = postPull(token);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.ctx.live.isOnline(uuid), true, 'a pull refreshes the presence');
    const [event] = enqueue(uuid, 1);
    const events = await pulling;
    const elapsed = Date.now() - started;
    assert.deepEqual(events.map((e) => e.id), [event!.id]);
    assert.ok(elapsed >= 250 && elapsed < 1500, `returned after ${elapsed} ms`);
    s.ctx.events.forget(uuid);
  });

  it('a long-poll whose client goes away consumes nothing', async () => {
    const { uuid, token } = await addNode(s, cookie, 'gone-away');
    const ac = new AbortController();
    const body = JSON.stringify({ jsonrpc: '2.0', method: 'agent.pull', params: {}, id: 1 });
    const pulling = fetch(`${s.url}/api/clients/v2/rpc?token=${token}`, { method: 'POST', body, signal: ac.signal }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    assert.equal(await pulling, 'aborted');
    const [event] = enqueue(uuid, 1);
    assert.deepEqual((await postPull(token)).map((e) => e.id), [event!.id]);
    s.ctx.events.forget(uuid);
  });

  it('a v2 socket gets every pending event pushed on connect as a notification without id; they are then gone', async () => {
    const { uuid, token } = await addNode(s, cookie, 'socket-push');
    const queued = enqueue(uuid, 3);
    const agent = await V2SocketAgent.connect(s, token);
    for (const e of queued) {
      assert.deepEqual(await agent.next(), { jsonrpc: '2.0', method: 'agent.exec', params: e.params });
    }
    const started = Date.now();
    const pulled = await agent.call('agent.pull', { ack_event_ids: [] }, 'pull-1');
    assert.deepEqual(pulled, { jsonrpc: '2.0', id: 'pull-1', result: { events: [] } });
    assert.ok(Date.now() - started < 1000, 'a pull over the socket never waits');
    await agent.close();
    assert.deepEqual(await postReport(token), []);
  });

  it('agent.event is logged and acknowledged', async () => {
    const { token } = await addNode(s, cookie, 'event');
    const res = await v2Post(s, token, { jsonrpc: '2.0', method: 'agent.event', params: { type: 'hello', data: { a: 1 } }, id: 5 });
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 5, result: { status: 'success' } });
  });
});

describe('agent.event in the log (an agent token wrote 60 MiB of log a second with 1 MiB events)', () => {
  const log = new LogCapture();
  let s: TestServer;
  let cookie: string;
  before(async () => ({ s, cookie } = await startWithAdmin({ env: { KOMARI_LOG_LEVEL: 'info' }, logStream: log, limits: { report: { maxTextBytes: 64 } } })));
  after(() => s.dispose());

  it('its type and data are logged cut to limits.report.maxTextBytes; small ones as sent', async () => {
    const { token } = await addNode(s, cookie, 'event-flood');
    const big = await v2Post(s, token, { jsonrpc: '2.0', method: 'agent.event', params: { type: 't'.repeat(300_000), data: 'd'.repeat(600_000) }, id: 1 });
    assert.deepEqual(big.json, { jsonrpc: '2.0', id: 1, result: { status: 'success' } });
    const deep = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    const nested = await v2Post(s, token, `{"jsonrpc":"2.0","method":"agent.event","params":{"type":"deep","data":${deep}},"id":2}`);
    assert.deepEqual(nested.json, { jsonrpc: '2.0', id: 2, result: { status: 'success' } });
    await v2Post(s, token, { jsonrpc: '2.0', method: 'agent.event', params: { type: 'hello', data: { a: 1 } }, id: 3 });
    const events = log.matching('agent event');
    assert.equal(events.length, 3);
    assert.deepEqual([events[0]!.type, events[0]!.data], ['t'.repeat(64), 'd'.repeat(64)]);
    assert.deepEqual([events[1]!.type, events[1]!.data], ['deep', '(not printable: nested too deeply)']);
    assert.deepEqual([events[2]!.type, events[2]!.data], ['hello', '{"a":1}']);
    assert.ok(log.text.length < 10_000, `the log holds ${log.text.length} characters`);
  });
});

describe('v2 transport at shutdown', () => {
  it('a pending long-poll answers at once with no events and v2 sockets are closed with 1001', async () => {
    const { s, cookie } = await startWithAdmin();
    const polled = await addNode(s, cookie, 'polling');
    const socketed = await addNode(s, cookie, 'socket');
    const agent = await V2SocketAgent.connect(s, socketed.token);
    const pull = { jsonrpc: '2.0', method: 'agent.pull', params: {}, id: 'p' };
    const pulling = v2Post(s, polled.token, pull);
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await s.dispose();
    assert.ok(Date.now() - started < 5000, 'the long-poll did not hold the shutdown');
    const res = await pulling;
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { jsonrpc: '2.0', id: 'p', result: { events: [] } });
    assert.equal((await agent.closed).code, 1001);
  });
});
