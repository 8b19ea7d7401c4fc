import type { Account } from '../../store/types.ts';
import type { ImportContext } from './context.ts';
import { rowsOf } from './source-db.ts';
import { komariTime } from './time.ts';
import { describe, textOrEmpty, type Row } from './values.ts';

const kind = 'accounts';

/**
 * Komari's hash (auth.md §3): base64 of a SHA-256, 44 characters. It is kept as it is and replaced
 * by our own at the account's first login (auth/account-service.ts). Any other form is refused:
 * it could never log in, and one that looked like ours could carry KDF parameters that tie up
 * the server at every login attempt.
 */
const komariHash = /^[A-Za-z0-9+/]{43}=$/;
const base32Secret = /^[A-Z2-7]{16,128}=*$/i;

/**
 * Accounts with their password hash, 2FA secret and SSO binding. In a fresh import an account of
 * the same uuid or name takes Komari's credentials (a server that has not been used yet made its
 * own `admin` at first start); in a merge the target's account is kept.
 */
export async function importAccounts(ctx: ImportContext): Promise<void> {
  const seen = new Set<string>();
  for (const r of rowsOf(ctx.db, 'users')) {
    const account = accountOf(ctx, r);
    if (!account) continue;
    if (seen.has(account.username)) {
      ctx.report.skip(kind, 'a second row with the same username', account.username);
      continue;
    }
    seen.add(account.username);
    await placeAccount(ctx, account);
  }
}

function accountOf(ctx: ImportContext, r: Row): Account | undefined {
  const username = textOrEmpty(r.username) ?? '';
  const id = username !== '' && username.length <= 50 ? username : describe(r.username);
  if (username === '' || username.length > 50) {
    ctx.report.skip(kind, 'its username is empty or longer than 50 characters', id);
    return undefined;
  }
  const passwordHash = textOrEmpty(r.passwd) ?? '';
  if (!komariHash.test(passwordHash)) {
    ctx.report.skip(kind, "its password hash is not Komari's (base64 SHA-256): it could never log in; run `komari chpasswd` after the import if it was the only account", username);
    return undefined;
  }
  let uuid = textOrEmpty(r.uuid) ?? '';
  if (!/^[0-9A-Za-z-]{1,36}$/.test(uuid)) uuid = crypto.randomUUID();
  let twoFactor = textOrEmpty(r.two_factor) ?? '';
  if (twoFactor !== '' && !base32Secret.test(twoFactor)) {
    ctx.report.skip(kind, 'its 2FA secret is not a base32 TOTP secret: imported the account with 2FA off; turn it on again', username);
    twoFactor = '';
  }
  const ssoType = textOrEmpty(r.sso_type) ?? '';
  const ssoId = textOrEmpty(r.sso_id) ?? '';
  const sso = ssoType.length <= 20 && ssoId.length <= 100 ? { ssoType, ssoId } : { ssoType: '', ssoId: '' };
  if (sso.ssoId !== ssoId) ctx.report.skip(kind, 'its SSO binding is longer than Komari allows: imported the account unbound', username);
  const now = ctx.clock.now();
  const createdAt = komariTime(r.created_at) ?? now;
  return { uuid, username, passwordHash, twoFactor, ...sso, createdAt, updatedAt: komariTime(r.updated_at) ?? createdAt };
}

const credentialsOf = (a: Account) => ({ username: a.username, passwordHash: a.passwordHash, ssoType: a.ssoType, ssoId: a.ssoId, twoFactor: a.twoFactor });

async function placeAccount(ctx: ImportContext, a: Account): Promise<void> {
  const { accounts } = ctx.store;
  const existing = (await accounts.byUuid(a.uuid)) ?? (await accounts.byUsername(a.username));
  if (!existing) {
    if (a.ssoId && (await accounts.bySsoId(a.ssoId))) {
      ctx.report.skip(kind, 'its SSO identity is bound to another account here: imported it unbound', a.username);
      a = { ...a, ssoType: '', ssoId: '' };
    }
    await accounts.create(a);
    ctx.report.count(kind);
    return;
  }
  const wanted = credentialsOf(a);
  if (JSON.stringify(credentialsOf(existing)) === JSON.stringify(wanted)) {
    ctx.report.present(kind);
    return;
  }
  if (ctx.mode === 'merge') {
    ctx.report.skip(kind, `an account ${existing.username === a.username ? 'of this name' : 'with this uuid'} exists here: kept it as it is`, a.username);
    return;
  }
  try {
    await accounts.update(existing.uuid, wanted, ctx.clock.now());
    ctx.report.count(kind);
  } catch (err) {
    ctx.report.skip(kind, `could not take Komari's credentials: ${(err as Error).message}`, a.username);
  }
}
