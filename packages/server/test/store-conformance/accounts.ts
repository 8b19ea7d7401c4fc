import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreConflict } from '../../src/store/errors.ts';
import type { Account, AccountStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';

function account(n: number, over: Partial<Account> = {}): Account {
  return {
    uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    username: `user${n}`,
    passwordHash: `argon2id$hash${n}`,
    ssoType: '',
    ssoId: '',
    twoFactor: '',
    createdAt: 1_700_000_000_000 + n,
    updatedAt: 1_700_000_000_000 + n,
    ...over,
  };
}

/** AccountStore: the admin accounts, their SSO bindings and the TOTP replay guard. */
export function accountsSuite(open: () => Promise<OpenedEngine>): void {
  async function withAccounts(fn: (a: AccountStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.accounts!);
    } finally {
      await e.close();
    }
  }

  it('starts empty: count 0, no first, unknown names and ids are undefined', () =>
    withAccounts(async (a) => {
      assert.equal(await a.count(), 0);
      assert.equal(await a.first(), undefined);
      assert.equal(await a.byUsername('admin'), undefined);
      assert.equal(await a.byUuid('nope'), undefined);
      assert.equal(await a.bySsoId('github_1'), undefined);
    }));

  it('reads back every field of what was created, by name and by uuid, unicode included', () =>
    withAccounts(async (a) => {
      const x = account(1, { username: '管理员 ✓ émoji 🚀', ssoType: 'github', ssoId: 'github_583231', twoFactor: 'JBSWY3DPEHPK3PXP' });
      await a.create(x);
      assert.equal(await a.count(), 1);
      assert.deepEqual(await a.byUsername(x.username), x);
      assert.deepEqual(await a.byUuid(x.uuid), x);
      assert.deepEqual(await a.bySsoId('github_583231'), x);
    }));

  it('keeps unix-ms times beyond 2^32 exactly', () =>
    withAccounts(async (a) => {
      const x = account(1, { createdAt: 4_102_444_800_000, updatedAt: 8_640_000_000_000_000 });
      await a.create(x);
      assert.deepEqual(await a.byUuid(x.uuid), x);
    }));

  it('usernames match exactly: case and surrounding spaces matter', () =>
    withAccounts(async (a) => {
      await a.create(account(1, { username: 'Admin' }));
      assert.equal(await a.byUsername('admin'), undefined);
      assert.equal(await a.byUsername('Admin '), undefined);
      assert.equal((await a.byUsername('Admin'))?.username, 'Admin');
    }));

  it('a duplicate username is a StoreConflict on username and adds nothing', () =>
    withAccounts(async (a) => {
      await a.create(account(1, { username: 'admin' }));
      await assert.rejects(a.create(account(2, { username: 'admin' })), (err: unknown) => {
        assert.ok(err instanceof StoreConflict);
        assert.equal(err.field, 'username');
        return true;
      });
      assert.equal(await a.count(), 1);
    }));

  it('a duplicate uuid is a StoreConflict', () =>
    withAccounts(async (a) => {
      await a.create(account(1));
      await assert.rejects(a.create(account(1, { username: 'other' })), StoreConflict);
      assert.equal(await a.count(), 1);
    }));

  it('first is the earliest created, whatever the uuids and times say', () =>
    withAccounts(async (a) => {
      await a.create(account(9, { uuid: 'zzz', createdAt: 5 }));
      await a.create(account(2, { uuid: 'aaa', createdAt: 1 }));
      assert.equal((await a.first())?.uuid, 'zzz');
    }));

  it('bySsoId never matches the empty id, and picks the earliest of two bindings', () =>
    withAccounts(async (a) => {
      await a.create(account(1));
      assert.equal(await a.bySsoId(''), undefined);
      await a.create(account(2, { ssoId: 'github_7' }));
      await a.create(account(3, { ssoId: 'github_7' }));
      assert.equal((await a.bySsoId('github_7'))?.uuid, account(2).uuid);
      assert.equal(await a.bySsoId('github_8'), undefined);
    }));

  it('update changes the patched fields and updatedAt only', () =>
    withAccounts(async (a) => {
      const x = account(1);
      await a.create(x);
      assert.equal(await a.update(x.uuid, { username: 'renamed', twoFactor: 'SECRET' }, 99), true);
      assert.deepEqual(await a.byUuid(x.uuid), { ...x, username: 'renamed', twoFactor: 'SECRET', updatedAt: 99 });
      assert.equal(await a.byUsername('user1'), undefined);
      assert.equal(await a.update(x.uuid, { passwordHash: 'h2', ssoType: 'oidc', ssoId: 'oidc_1' }, 100), true);
      assert.deepEqual(await a.byUuid(x.uuid), {
        ...x, username: 'renamed', twoFactor: 'SECRET', passwordHash: 'h2', ssoType: 'oidc', ssoId: 'oidc_1', updatedAt: 100,
      });
    }));

  it('an empty patch still touches updatedAt; an unknown uuid returns false and changes nothing', () =>
    withAccounts(async (a) => {
      const x = account(1);
      await a.create(x);
      assert.equal(await a.update(x.uuid, {}, 7), true);
      assert.equal((await a.byUuid(x.uuid))?.updatedAt, 7);
      assert.equal(await a.update('unknown', { username: 'ghost' }, 8), false);
      assert.equal(await a.count(), 1);
      assert.equal(await a.byUsername('ghost'), undefined);
    }));

  it('renaming onto a taken username is a StoreConflict on username and changes nothing', () =>
    withAccounts(async (a) => {
      await a.create(account(1));
      await a.create(account(2));
      await assert.rejects(a.update(account(2).uuid, { username: 'user1', twoFactor: 'X' }, 50), (err: unknown) => {
        assert.ok(err instanceof StoreConflict);
        assert.equal(err.field, 'username');
        return true;
      });
      assert.deepEqual(await a.byUuid(account(2).uuid), account(2));
    }));

  it('clearTwoFactorForAll clears only the accounts that had 2FA and counts them', () =>
    withAccounts(async (a) => {
      await a.create(account(1, { twoFactor: 'A' }));
      await a.create(account(2));
      await a.create(account(3, { twoFactor: 'C' }));
      assert.equal(await a.clearTwoFactorForAll(500), 2);
      for (const n of [1, 3]) assert.deepEqual(await a.byUuid(account(n).uuid), { ...account(n), twoFactor: '', updatedAt: 500 });
      assert.deepEqual(await a.byUuid(account(2).uuid), account(2));
      assert.equal(await a.clearTwoFactorForAll(600), 0);
    }));

  it('claimTotpStep accepts a step once, only later steps after it, and is per account', () =>
    withAccounts(async (a) => {
      await a.create(account(1));
      await a.create(account(2));
      const u1 = account(1).uuid;
      const step = 58_000_000;
      assert.equal(await a.claimTotpStep(u1, step), true);
      assert.equal(await a.claimTotpStep(u1, step), false);
      assert.equal(await a.claimTotpStep(u1, step - 1), false);
      assert.equal(await a.claimTotpStep(account(2).uuid, step), true);
      assert.equal(await a.claimTotpStep(u1, step + 1), true);
      assert.equal(await a.claimTotpStep('unknown', step + 5), false);
    }));

  it('claimTotpStep: of many racing claims of one step exactly one wins', () =>
    withAccounts(async (a) => {
      await a.create(account(1));
      const wins = await Promise.all(Array.from({ length: 8 }, () => a.claimTotpStep(account(1).uuid, 1234)));
      assert.equal(wins.filter(Boolean).length, 1);
    }));

  it('claiming a step leaves the account fields and updatedAt as they were', () =>
    withAccounts(async (a) => {
      await a.create(account(1));
      await a.claimTotpStep(account(1).uuid, 10);
      assert.deepEqual(await a.byUuid(account(1).uuid), account(1));
    }));

  it('takes a hundred accounts and counts them', () =>
    withAccounts(async (a) => {
      for (let i = 0; i < 100; i++) await a.create(account(i));
      assert.equal(await a.count(), 100);
      assert.equal((await a.first())?.uuid, account(0).uuid);
    }));
}
