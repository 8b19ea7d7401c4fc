import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LoginGuardStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';

/** LoginGuardStore: each account's known addresses and the CLI's unlock markers. */
export function loginGuardSuite(open: () => Promise<OpenedEngine>): void {
  async function withGuard(fn: (g: LoginGuardStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.loginGuard!);
    } finally {
      await e.close();
    }
  }

  it('knows no address at first, and remembers one per account', () =>
    withGuard(async (g) => {
      assert.equal(await g.isKnownAddress('u1', '192.0.2.0/24'), false);
      await g.rememberAddress('u1', '192.0.2.0/24', 1000, 5);
      assert.equal(await g.isKnownAddress('u1', '192.0.2.0/24'), true);
      assert.equal(await g.isKnownAddress('u2', '192.0.2.0/24'), false);
      assert.equal(await g.isKnownAddress('u1', '192.0.2.1/24'), false);
    }));

  it('keeps only the latest `keep` addresses of an account, the others untouched', () =>
    withGuard(async (g) => {
      await g.rememberAddress('other', 'a', 1, 1);
      for (const [i, ip] of ['a', 'b', 'c', 'd'].entries()) await g.rememberAddress('u1', ip, 100 + i, 3);
      assert.deepEqual(await Promise.all(['a', 'b', 'c', 'd'].map((ip) => g.isKnownAddress('u1', ip))), [false, true, true, true]);
      assert.equal(await g.isKnownAddress('other', 'a'), true);
    }));

  it('a login again from a known address makes it the latest', () =>
    withGuard(async (g) => {
      await g.rememberAddress('u1', 'a', 100, 2);
      await g.rememberAddress('u1', 'b', 101, 2);
      await g.rememberAddress('u1', 'a', 102, 2);
      await g.rememberAddress('u1', 'c', 103, 2);
      assert.deepEqual(await Promise.all(['a', 'b', 'c'].map((ip) => g.isKnownAddress('u1', ip))), [true, false, true]);
    }));

  it('on equal login times the address remembered first goes first', () =>
    withGuard(async (g) => {
      await g.rememberAddress('u1', 'z', 100, 2);
      await g.rememberAddress('u1', 'a', 100, 2);
      await g.rememberAddress('u1', 'm', 100, 2);
      assert.deepEqual(await Promise.all(['z', 'a', 'm'].map((ip) => g.isKnownAddress('u1', ip))), [false, true, true]);
    }));

  it('keep 0 forgets even the address just remembered; a negative keep, as SQLite reads it, keeps all', () =>
    withGuard(async (g) => {
      await g.rememberAddress('u1', 'a', 100, 0);
      assert.equal(await g.isKnownAddress('u1', 'a'), false);
      for (const [i, ip] of ['a', 'b', 'c'].entries()) await g.rememberAddress('u2', ip, 100 + i, -1);
      assert.deepEqual(await Promise.all(['a', 'b', 'c'].map((ip) => g.isKnownAddress('u2', ip))), [true, true, true]);
    }));

  it('unicode and long address keys are kept exactly', () =>
    withGuard(async (g) => {
      const long = `2001:db8::/48#${'x'.repeat(5000)}✓`;
      await g.rememberAddress('账户', long, 1, 5);
      assert.equal(await g.isKnownAddress('账户', long), true);
      assert.equal(await g.isKnownAddress('账户', long.slice(0, -1)), false);
    }));

  it('latestUnlock is 0 without a marker, then the id of the newest marker of that reason', () =>
    withGuard(async (g) => {
      assert.equal(await g.latestUnlock('unlock'), 0);
      const a = await g.addUnlock('unlock', 1);
      const b = await g.addUnlock('permit-login', 2);
      const c = await g.addUnlock('unlock', 3);
      assert.ok(a > 0 && b > a && c > b, `ids increase: ${a} ${b} ${c}`);
      assert.equal(await g.latestUnlock('unlock'), c);
      assert.equal(await g.latestUnlock('permit-login'), b);
      assert.equal(await g.latestUnlock('other'), 0);
    }));
}
