import { randomUUID } from 'node:crypto';
import type { EventBus } from '../bus/event-bus.ts';
import type { Clock } from '../clock.ts';
import { defaultServerLimits, type ServerLimits } from '../config/limits.ts';
import type { Caller } from '../rpc/caller.ts';
import type { AuditService } from '../services/audit-service.ts';
import type { Account, Session, Store } from '../store/types.ts';
import { CliMarker } from './cli-marker.ts';
import { LoginGuard } from './login-guard.ts';
import { hashPassword, isLegacyHash, verifyPassword } from './password-hash.ts';
import { randomToken } from './random-token.ts';
import { claimTotpCode, Reauth } from './reauth.ts';

export const sessionLifetimeMs = 30 * 24 * 3600 * 1000;

export type LoginResult =
  | { ok: true; token: string; account: Account }
  | { ok: false; status: number; message: string; retryAfterSec?: number };

export interface LoginRequest {
  username: string;
  password: string;
  twoFactorCode: string;
  ip: string;
  userAgent: string;
}

/** Accounts, sessions and the checks around them (auth.md §2-§7). */
export class AccountService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #audit: AuditService;
  readonly #guard: LoginGuard;
  readonly #reauth: Reauth;
  readonly #permitLogin: CliMarker;

  readonly #bus: EventBus | undefined;

  /** `bus` hears of every successful login (the login notification subscribes to it) */
  constructor(store: Store, clock: Clock, audit: AuditService, limits: ServerLimits['login'] = defaultServerLimits.login, bus?: EventBus) {
    this.#bus = bus;
    this.#store = store;
    this.#clock = clock;
    this.#audit = audit;
    this.#reauth = new Reauth(store, clock, audit, limits);
    this.#guard = new LoginGuard(store.loginGuard, clock, limits);
    this.#permitLogin = new CliMarker(store.loginGuard, 'permit-login');
  }

  /** Reads the CLI markers already in the database (before the server takes requests). */
  async start(): Promise<void> {
    await this.#guard.start();
    await this.#reauth.start();
    await this.#permitLogin.start();
  }

  /** True once after `komari permit-login` ran against this database: settings must be reloaded. */
  permitLoginFired(): Promise<boolean> {
    return this.#permitLogin.fired();
  }

  /**
   * First start (decision 5): when no account exists, create one from ADMIN_USERNAME /
   * ADMIN_PASSWORD or `admin` with 12 random characters. Returns the credentials it created.
   */
  async ensureFirstAccount(username?: string, password?: string): Promise<{ username: string; password: string } | undefined> {
    if ((await this.#store.accounts.count()) > 0) return undefined;
    const creds = { username: username ?? 'admin', password: password ?? randomToken(12) };
    const now = this.#clock.now();
    await this.#store.accounts.create({
      uuid: randomUUID(),
      username: creds.username,
      passwordHash: await hashPassword(creds.password),
      ssoType: '',
      ssoId: '',
      twoFactor: '',
      createdAt: now,
      updatedAt: now,
    });
    return creds;
  }

  async login(req: LoginRequest): Promise<LoginResult> {
    const account = await this.#store.accounts.byUsername(req.username);
    const wait = await this.#guard.waitMs(req.ip, req.username, account?.uuid);
    if (wait > 0) {
      const retryAfterSec = Math.ceil(wait / 1000);
      return { ok: false, status: 429, message: `Too many failed login attempts, try again in ${retryAfterSec} seconds`, retryAfterSec };
    }
    if (!account || !(await verifyPassword(req.password, account.passwordHash))) {
      return this.#failed(req, account !== undefined, 'Invalid credentials');
    }
    if (account.twoFactor !== '') {
      if (req.twoFactorCode === '') return { ok: false, status: 401, message: '2FA code is required' };
      const refusal = await claimTotpCode(this.#store.accounts, account, req.twoFactorCode, this.#clock.now());
      if (refusal !== undefined) return this.#failed(req, true, refusal);
    }
    await this.#guard.succeeded(req.ip, account.uuid);
    if (isLegacyHash(account.passwordHash)) {
      // An account imported from a Komari backup: replace its SHA-256 hash on first login.
      await this.#store.accounts.update(account.uuid, { passwordHash: await hashPassword(req.password) }, this.#clock.now());
    }
    const token = await this.createSession(account.uuid, req.ip, req.userAgent, 'password');
    await this.#audit.log(req.ip, account.uuid, 'logged in (password)', 'login');
    this.#bus?.publish('account.login', { method: 'password', username: account.username, ip: req.ip, userAgent: req.userAgent, at: this.#clock.now() });
    return { ok: true, token, account };
  }

  /**
   * A login through a bound external account (OAuth): no password and no 2FA, as in Komari
   * (auth.md §8.4). Its address becomes known-good like a password login's.
   */
  async loginExternal(account: Account, ip: string, userAgent: string): Promise<string> {
    await this.#guard.succeeded(ip, account.uuid);
    const token = await this.createSession(account.uuid, ip, userAgent, 'oauth');
    await this.#audit.log(ip, account.uuid, 'logged in (OAuth)', 'login');
    this.#bus?.publish('account.login', { method: 'oauth', username: account.username, ip, userAgent, at: this.#clock.now() });
    return token;
  }

  /** A username no account has is not written down: it is often the password, typed in the wrong box. */
  async #failed(req: LoginRequest, accountExists: boolean, message: string): Promise<LoginResult> {
    this.#guard.failed(req.ip, req.username);
    const who = accountExists ? JSON.stringify(req.username) : 'an unknown username';
    await this.#audit.log(req.ip, '', `failed login for ${who}: ${message}`, 'warn');
    return { ok: false, status: 401, message };
  }

  async createSession(uuid: string, ip: string, userAgent: string, loginMethod: string): Promise<string> {
    const now = this.#clock.now();
    const session: Session = {
      session: randomToken(32),
      uuid,
      userAgent,
      ip,
      loginMethod,
      latestOnline: now,
      latestUserAgent: userAgent,
      latestIp: ip,
      expires: now + sessionLifetimeMs,
      createdAt: now,
    };
    await this.#store.sessions.create(session);
    return session.session;
  }

  /** The live session and its account; an expired session is deleted and counts as none. */
  async resolveSession(token: string): Promise<{ session: Session; account: Account } | undefined> {
    if (!token) return undefined;
    const session = await this.#store.sessions.get(token);
    if (!session) return undefined;
    if (this.#clock.now() > session.expires) {
      await this.#store.sessions.delete(token);
      return undefined;
    }
    const account = await this.#store.accounts.byUuid(session.uuid);
    return account ? { session, account } : undefined;
  }

  /** Changes the password and ends every session of every account (auth.md §4.3). */
  async setPassword(uuid: string, password: string): Promise<boolean> {
    const changed = await this.#store.accounts.update(uuid, { passwordHash: await hashPassword(password) }, this.#clock.now());
    if (changed) {
      this.credentialsChanged(uuid, 'password');
      await this.endAllSessions();
    }
    return changed;
  }

  /** Ends one session (logout, or an admin deleting it); its owner's proofs since login go too. */
  async endSession(token: string, reason: 'logout' | 'session'): Promise<void> {
    const session = await this.#store.sessions.get(token);
    await this.#store.sessions.delete(token);
    if (session) this.credentialsChanged(session.uuid, reason);
  }

  /** Ends every session of every account. */
  async endAllSessions(): Promise<void> {
    const owners = new Set((await this.#store.sessions.list()).map((s) => s.uuid));
    await this.#store.sessions.deleteAll();
    for (const uuid of owners) this.credentialsChanged(uuid, 'session');
  }

  /**
   * What the user proved since (the files 2FA grants) no longer holds: after a logout, a password
   * or 2FA change, a session ending.
   */
  credentialsChanged(userUuid: string, reason: 'logout' | 'session' | 'password' | 'two-factor'): void {
    this.#bus?.publish('account.credentialsChanged', { userUuid, reason });
  }

  /**
   * The sensitive-operation re-check (auth.md §7): API keys and accounts without 2FA pass;
   * otherwise a code from params (strings only) or from headers/query must verify, once.
   */
  checkSensitive(caller: Caller, rawParams: unknown, missingMessage?: string): Promise<void> {
    return this.#reauth.checkSensitive(caller, rawParams, missingMessage);
  }

  /** What a password change needs besides the new password (see Reauth.checkPasswordChange). */
  checkPasswordChange(caller: Caller, oldPassword: string | undefined, rawParams: unknown): Promise<void> {
    return this.#reauth.checkPasswordChange(caller, oldPassword, rawParams);
  }
}
