import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret } from '../src/auth/totp.ts';
import { AppError } from '../src/errors.ts';
import { FileGrants } from '../src/remote-control/file-grants.ts';
import { requireRemoteControl } from '../src/remote-control/gate.ts';
import { remoteControlLimits } from '../src/remote-control/limits.ts';
import type { Caller } from '../src/rpc/caller.ts';
import { addNode } from './helpers/agent-common.ts';
import { ManualClock } from './helpers/clock.ts';
import { rpc, startWithAdmin, type TestServer } from './helpers/server.ts';
import { nextCode, wrongCode } from './helpers/totp.ts';

const meta = { ip: '198.51.100.7', userAgent: 'test', tempKey: false, headerTwoFactorCode: '' };

async function refusal(p: Promise<void>): Promise<{ code: number; message: string } | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return { code: err.code, message: err.message };
  }
}

describe('remote control gate for the file manager: 2FA once, then a grant per (user, node) (issue 18)', () => {
  const clock = new ManualClock('2026-12-20T08:00:00Z');
  let s: TestServer;
  let cookie: string;
  let user: Caller;
  let secret: string;
  let a: { uuid: string };
  let b: { uuid: string };
  const gate = (uuid: string, caller: Caller, params?: unknown) => refusal(requireRemoteControl(s.ctx, uuid, 'files', caller, params));

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ clock }));
    a = await addNode(s, cookie, 'files-a');
    b = await addNode(s, cookie, 'files-b');
    const account = (await s.ctx.store.accounts.first())!;
    secret = generateTotpSecret();
    await s.ctx.store.accounts.update(account.uuid, { twoFactor: secret }, clock.now());
    user = { kind: 'user', account: (await s.ctx.store.accounts.first())!, sessionToken: 'unused', meta };
  });
  after(() => s.dispose());

  it('asks for a code, creates a grant after a good one, and reuses it without a code for 15 minutes since last use', async () => {
    assert.deepEqual(await gate(a.uuid, user), { code: -32041, message: '2FA code is required' });
    assert.deepEqual(await gate(a.uuid, user, { '2fa_code': wrongCode(secret, clock.now()) }), { code: -32041, message: 'Invalid 2FA code' });
    assert.equal(s.ctx.fileGrants.size, 0);
    assert.equal(await gate(a.uuid, user, { '2fa_code': nextCode(secret, clock) }), undefined);
    assert.equal(s.ctx.fileGrants.size, 1);

    // each use renews it: 14 minutes, then 14 more, still without a code
    clock.advance(14 * 60_000);
    assert.equal(await gate(a.uuid, user), undefined);
    clock.advance(14 * 60_000);
    assert.equal(await gate(a.uuid, user), undefined);
  });

  it('grants only the node the code was given for', async () => {
    assert.deepEqual(await gate(b.uuid, user), { code: -32041, message: '2FA code is required' });
  });

  it('asks again once the grant has been idle for 15 minutes', async () => {
    clock.advance(remoteControlLimits.filesGrantIdleMs);
    assert.deepEqual(await gate(a.uuid, user), { code: -32041, message: '2FA code is required' });
    assert.equal(s.ctx.fileGrants.size, 0, 'the expired grant is gone');
    assert.equal(await gate(a.uuid, user, { otp: nextCode(secret, clock) }), undefined);
  });

  it('lets an API key pass without a code and without a grant', async () => {
    const before = s.ctx.fileGrants.size;
    assert.equal(await gate(b.uuid, { kind: 'apiKey', meta }), undefined);
    assert.equal(s.ctx.fileGrants.size, before);
  });

  it('refuses agents and anonymous callers, and unknown nodes', async () => {
    const node = (await s.ctx.store.nodes.get(a.uuid))!;
    assert.equal((await gate(a.uuid, { kind: 'agent', node, meta }))?.code, -32041);
    assert.equal((await gate(a.uuid, { kind: 'anonymous', meta }))?.code, -32041);
    assert.deepEqual(await gate('no-such-node', { kind: 'apiKey', meta }), { code: -32044, message: 'Client not found' });
  });

  it('refuses files turned off before any 2FA question, even with a live grant, and audits it', async () => {
    assert.equal(await gate(a.uuid, user), undefined, 'a live grant');
    const set = await rpc(s.url, 'admin:setClientRemoteControl', { uuid: a.uuid, files: false }, { cookie });
    assert.deepEqual(set.result, { exec: null, terminal: null, files: false });
    assert.deepEqual(await gate(a.uuid, user), { code: -32041, message: 'Remote files are turned off for this server' });
    assert.deepEqual(await gate(a.uuid, { kind: 'apiKey', meta }), { code: -32041, message: 'Remote files are turned off for this server' });
    await s.ctx.store.remoteControl.set(a.uuid, { files: null });
    await s.ctx.settings.update({ remote_files_enabled: false });
    assert.deepEqual(await gate(b.uuid, { kind: 'apiKey', meta }), { code: -32041, message: 'Remote files are turned off for every server' });
    await s.ctx.settings.update({ remote_files_enabled: true });
    const logs = await s.ctx.store.audit.list({ limit: 20, offset: 0 });
    const line = logs.find((l) => l.message === `remote files refused for admin on client:${a.uuid} (turned off for this node)`);
    assert.ok(line, 'audited');
    assert.equal(line.ip, meta.ip);
    assert.equal(line.uuid, user.kind === 'user' ? user.account.uuid : '');
    assert.ok(logs.some((l) => l.message === `remote files refused for API key on client:${b.uuid} (turned off server-wide)`));
  });

  it('lets an account without 2FA pass without a grant', async () => {
    const plain: Caller = { kind: 'user', account: { ...(user as Extract<Caller, { kind: 'user' }>).account, uuid: 'other-user', twoFactor: '' }, sessionToken: 'x', meta };
    const before = s.ctx.fileGrants.size;
    assert.equal(await gate(b.uuid, plain), undefined);
    assert.equal(s.ctx.fileGrants.size, before);
  });
});

describe('file grants: bounded, least recently used first', () => {
  it('keeps at most maxFilesGrants, dropping the least recently used', () => {
    const clock = new ManualClock(0);
    const grants = new FileGrants(clock, { filesGrantIdleMs: 1000, maxFilesGrants: 2 });
    grants.grant('u', 'n1');
    clock.advance(1);
    grants.grant('u', 'n2');
    clock.advance(1);
    assert.equal(grants.use('u', 'n1'), true, 'n1 is now the most recently used');
    grants.grant('u', 'n3');
    assert.equal(grants.size, 2);
    assert.equal(grants.use('u', 'n2'), false, 'n2 went');
    assert.equal(grants.use('u', 'n1'), true);
    assert.equal(grants.use('u', 'n3'), true);
    assert.equal(grants.use('v', 'n1'), false, 'grants are per user');
  });
});
