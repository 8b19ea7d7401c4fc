import type { Clock } from '../clock.ts';
import type { ServerLimits } from '../config/limits.ts';
import { AppError } from '../errors.ts';
import type { Caller } from '../rpc/caller.ts';
import type { AuditService } from '../services/audit-service.ts';
import type { Account, AccountStore, LoginGuardStore } from '../store/types.ts';
import { CliMarker } from './cli-marker.ts';
import { FailureLimiter } from './login-throttle.ts';
import { verifyPassword } from './password-hash.ts';
import { matchTotpStep } from './totp.ts';

export const invalidCodeMessage = 'Invalid 2FA code';
export const usedCodeMessage = '2FA code has already been used, wait for the next one';

/**
 * Checks a code of the account's secret and claims its step, so the same code (or an older one
 * still inside the ±1 window) is refused afterwards. Returns the refusal, or undefined.
 */
export async function claimTotpCode(accounts: AccountStore, account: Account, code: string, now: number): Promise<string | undefined> {
  const step = matchTotpStep(account.twoFactor, code, now);
  if (step === undefined) return invalidCodeMessage;
  return (await accounts.claimTotpStep(account.uuid, step)) ? undefined : usedCodeMessage;
}

type UserCaller = Extract<Caller, { kind: 'user' }>;

/**
 * Re-authentication of a logged-in caller before a sensitive action (auth.md §7): a current 2FA
 * code, or for a password change the current password. Wrong answers are throttled per account
 * (`limits.login.reauth`) so a stolen session cannot guess its way through.
 */
export class Reauth {
  readonly #accounts: AccountStore;
  readonly #clock: Clock;
  readonly #audit: AuditService;
  readonly #failures: FailureLimiter;
  readonly #unlock: CliMarker;

  constructor(stores: { accounts: AccountStore; loginGuard: LoginGuardStore }, clock: Clock, audit: AuditService, limits: ServerLimits['login']) {
    this.#accounts = stores.accounts;
    this.#clock = clock;
    this.#audit = audit;
    this.#failures = new FailureLimiter(limits.reauth, clock, limits.maxKeys);
    this.#unlock = new CliMarker(stores.loginGuard, 'unlock');
  }

  start(): Promise<void> {
    return this.#unlock.start();
  }

  /** Milliseconds `key` must wait; a `komari unlock` since the last look clears every key. */
  async #waitMs(key: string): Promise<number> {
    const wait = this.#failures.retryAfterMs(key);
    if (wait === 0 || !(await this.#unlock.fired())) return wait;
    this.#failures.resetAll();
    return 0;
  }

  /** API keys and accounts without 2FA pass; otherwise a code from params or headers/query. */
  async checkSensitive(caller: Caller, rawParams: unknown, missingMessage = '2FA code is required'): Promise<void> {
    if (caller.kind === 'apiKey') return;
    if (caller.kind !== 'user') throw AppError.denied(missingMessage);
    if (caller.account.twoFactor === '') return;
    const code = codeFromParams(rawParams) || caller.meta.headerTwoFactorCode;
    if (!code) throw AppError.denied(missingMessage);
    const key = `2fa:${caller.account.uuid}`;
    const wait = await this.#waitMs(key);
    if (wait > 0) throw AppError.denied(`Too many invalid 2FA codes, try again in ${Math.ceil(wait / 1000)} seconds`);
    const refusal = await claimTotpCode(this.#accounts, caller.account, code, this.#clock.now());
    if (refusal !== undefined) {
      this.#failures.fail(key);
      const what = refusal === invalidCodeMessage ? 'invalid' : 'reused';
      await this.#audit.log(caller.meta.ip, caller.account.uuid, `${what} 2FA code at a sensitive action`, 'warn');
      throw AppError.denied(refusal);
    }
    this.#failures.reset(key);
  }

  /**
   * A password change (auth.md §5, komari-ts rule): API keys pass; an account with 2FA needs a
   * current code (as in Komari); one without needs `old_password`. A sent `old_password` must be
   * right either way; wrong ones count, and past the limit the answer is 429.
   */
  async checkPasswordChange(caller: Caller, oldPassword: string | undefined, rawParams: unknown): Promise<void> {
    if (caller.kind === 'apiKey') return;
    if (caller.kind !== 'user') throw AppError.denied('2FA code is required');
    if (oldPassword !== undefined) await this.#checkOldPassword(caller, oldPassword);
    if (caller.account.twoFactor !== '') return this.checkSensitive(caller, rawParams);
    if (oldPassword === undefined) throw AppError.invalidParams('The current password (old_password) is required to change the password');
  }

  async #checkOldPassword(caller: UserCaller, oldPassword: string): Promise<void> {
    const key = `password:${caller.account.uuid}`;
    const wait = await this.#waitMs(key);
    if (wait > 0) {
      const sec = Math.ceil(wait / 1000);
      throw AppError.tooManyAttempts(`Too many wrong current passwords, try again in ${sec} seconds`, sec);
    }
    if (await verifyPassword(oldPassword, caller.account.passwordHash)) return;
    this.#failures.fail(key);
    await this.#audit.log(caller.meta.ip, caller.account.uuid, 'wrong current password at a password change', 'warn');
    throw AppError.invalidParams('Current password is wrong');
  }
}

function codeFromParams(raw: unknown): string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return '';
  const p = raw as Record<string, unknown>;
  for (const k of ['2fa_code', 'two_factor_code', 'otp']) {
    const v = p[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return '';
}
