import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreConflict } from '../../src/store/errors.ts';
import type { Session, SessionStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';

function session(n: number, over: Partial<Session> = {}): Session {
  return {
    session: `token-${n}`,
    uuid: 'account-1',
    userAgent: `agent ${n}`,
    ip: `192.0.2.${n % 256}`,
    loginMethod: 'password',
    latestOnline: 1_700_000_000_000 + n,
    latestUserAgent: `agent ${n}`,
    latestIp: `192.0.2.${n % 256}`,
    expires: 1_800_000_000_000 + n,
    createdAt: 1_700_000_000_000 + n,
    ...over,
  };
}

/** SessionStore: login sessions, their last activity and their expiry. */
export function sessionsSuite(open: () => Promise<OpenedEngine>): void {
  async function withSessions(fn: (s: SessionStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.sessions!);
    } finally {
      await e.close();
    }
  }

  it('starts empty; an unknown token is undefined and deletes nothing', () =>
    withSessions(async (s) => {
      assert.deepEqual(await s.list(), []);
      assert.equal(await s.get('nope'), undefined);
      assert.equal(await s.delete('nope'), false);
      assert.equal(await s.deleteAll(), 0);
      assert.equal(await s.deleteExpired(Number.MAX_SAFE_INTEGER), 0);
    }));

  it('reads back every field, unicode user agents included', () =>
    withSessions(async (s) => {
      const x = session(1, { userAgent: 'Mozilla/5.0 浏览器 🚀', latestUserAgent: 'ü', loginMethod: 'oidc', ip: '2001:db8::1' });
      await s.create(x);
      assert.deepEqual(await s.get(x.session), x);
      assert.deepEqual(await s.list(), [x]);
    }));

  it('a duplicate token is a StoreConflict and keeps the first session', () =>
    withSessions(async (s) => {
      await s.create(session(1));
      await assert.rejects(s.create(session(2, { session: 'token-1' })), StoreConflict);
      assert.deepEqual(await s.list(), [session(1)]);
    }));

  it('tokens match exactly', () =>
    withSessions(async (s) => {
      await s.create(session(1, { session: 'AbC' }));
      assert.equal(await s.get('abc'), undefined);
      assert.equal(await s.get('AbC '), undefined);
    }));

  it('list is ordered by creation time, not by token or insertion', () =>
    withSessions(async (s) => {
      await s.create(session(3, { session: 'a' }));
      await s.create(session(1, { session: 'c' }));
      await s.create(session(2, { session: 'b' }));
      assert.deepEqual((await s.list()).map((x) => x.session), ['c', 'b', 'a']);
    }));

  it('touch updates the latest activity only; an unknown token is a no-op', () =>
    withSessions(async (s) => {
      const x = session(1);
      await s.create(x);
      await s.touch(x.session, 1_750_000_000_000, '203.0.113.9', 'curl/8 ✓');
      await s.touch('unknown', 1, 'x', 'y');
      assert.deepEqual(await s.get(x.session), { ...x, latestOnline: 1_750_000_000_000, latestIp: '203.0.113.9', latestUserAgent: 'curl/8 ✓' });
      assert.equal((await s.list()).length, 1);
    }));

  it('delete removes one session and reports it once', () =>
    withSessions(async (s) => {
      await s.create(session(1));
      await s.create(session(2));
      assert.equal(await s.delete('token-1'), true);
      assert.equal(await s.delete('token-1'), false);
      assert.deepEqual(await s.list(), [session(2)]);
    }));

  it('deleteAll removes every session and counts them', () =>
    withSessions(async (s) => {
      for (let i = 0; i < 5; i++) await s.create(session(i));
      assert.equal(await s.deleteAll(), 5);
      assert.deepEqual(await s.list(), []);
    }));

  it('deleteExpired removes sessions expiring strictly before now', () =>
    withSessions(async (s) => {
      await s.create(session(1, { expires: 100 }));
      await s.create(session(2, { expires: 200 }));
      await s.create(session(3, { expires: 300 }));
      assert.equal(await s.deleteExpired(200), 1);
      assert.deepEqual((await s.list()).map((x) => x.session), ['token-2', 'token-3']);
      assert.equal(await s.deleteExpired(200), 0);
      assert.equal(await s.deleteExpired(301), 2);
      assert.deepEqual(await s.list(), []);
    }));

  it('lists three hundred sessions in order', () =>
    withSessions(async (s) => {
      for (let i = 299; i >= 0; i--) await s.create(session(i));
      const got = await s.list();
      assert.equal(got.length, 300);
      assert.deepEqual(got.map((x) => x.createdAt), Array.from({ length: 300 }, (_, i) => 1_700_000_000_000 + i));
    }));
}
