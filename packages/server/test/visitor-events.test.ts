import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseEvent, visitorMessage } from '../src/methods/visitor-event.ts';
import { TokenBuckets } from '../src/util/token-buckets.ts';
import { ManualClock } from './helpers/clock.ts';
import { http, rpc, startWithAdmin } from './helpers/server.ts';

// public:recordVisitorEvent (rpc2.md §10.2.4): rate limit first, then the setting, then the
// event; Komari's normalisation and bounds.

async function visitorLines(base: string, cookie: string): Promise<string[]> {
  const res = await http(base, '/api/admin/logs?limit=100', { cookie });
  return (res.json.data.logs ?? res.json.data).filter((l: { msg_type: string }) => l.msg_type === 'visitor').map((l: { message: string }) => l.message);
}

describe('public:recordVisitorEvent', () => {
  it('is "disabled" until visitor_audit_enabled; then records Komari’s normalised event with the caller’s user agent', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 6, 0));
    const { s, cookie } = await startWithAdmin({ clock });
    try {
      const call = (params: unknown) => rpc(s.url, 'public:recordVisitorEvent', params, { headers: { 'user-agent': 'phone/1.0' } });
      assert.deepEqual((await call({ event: 'page view' })).result, { status: 'disabled' });
      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { visitor_audit_enabled: true } });
      assert.deepEqual((await call({ action: '  Page View!  ', path: '/instance/x', detail: { a: 1 } })).result, { status: 'success' });
      const missing = await call({ path: '/' });
      assert.deepEqual([missing.error?.code, missing.error?.message], [-32602, 'event is required']);
      const lines = await visitorLines(s.url, cookie);
      assert.deepEqual(lines, ['visitor event: {"event":"page_view","path":"/instance/x","route":"","target":"","user_agent":"phone/1.0","detail":{"a":1}}']);
    } finally {
      await s.dispose();
    }
  });

  it('allows a burst of 10 per address, then answers rate_limited (not an error), refilling at 30 a minute', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 7, 6, 0));
    const { s, cookie } = await startWithAdmin({ clock });
    try {
      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { visitor_audit_enabled: true } });
      const statuses: string[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await rpc(s.url, 'public:recordVisitorEvent', { event: 'click' })).result.status);
      assert.deepEqual(statuses, [...Array(10).fill('success'), 'rate_limited', 'rate_limited']);
      clock.advance(2000); // one token
      assert.equal((await rpc(s.url, 'public:recordVisitorEvent', { event: 'click' })).result.status, 'success');
      assert.equal((await rpc(s.url, 'public:recordVisitorEvent', { event: 'click' })).result.status, 'rate_limited');
      assert.equal((await visitorLines(s.url, cookie)).length, 11);
    } finally {
      await s.dispose();
    }
  });
});

describe('visitor event bounds', () => {
  it('normalises the event and bounds every field; a large detail is replaced by its size; the message fits 4096', () => {
    assert.equal(normaliseEvent(' Open   Node/Page#1 '), 'open_nodepage1');
    assert.equal(normaliseEvent('x'.repeat(100)).length, 64);
    const m = visitorMessage({ event: 'e', path: 'p'.repeat(512), route: 'r'.repeat(128), target: 't'.repeat(128), user_agent: 'u'.repeat(512), detail: { big: 'd'.repeat(5000) } });
    assert.ok(m.length <= 4096);
    assert.ok(m.includes(`"detail":{"truncated":true,"size":${JSON.stringify({ big: 'd'.repeat(5000) }).length}}`), m.slice(-80));
  });

  it('token buckets stay within their key bound', () => {
    const b = new TokenBuckets({ burst: 1, perMinute: 1, maxKeys: 3 });
    for (let i = 0; i < 100; i++) b.take(`10.0.0.${i}`, 0);
    assert.equal(b.size, 3);
  });
});
