import type { Clock } from '../clock.ts';
import type { ServerLimits } from '../config/limits.ts';
import type { LoginGuardStore } from '../store/types.ts';
import { CliMarker } from './cli-marker.ts';
import { addressGroup } from '../util/address-group.ts';
import { FailureLimiter } from './login-throttle.ts';

/** The one key of the global budget. */
const everyone = '*';

/**
 * The password-login limits (auth.md §11): per client address, per username, and a global
 * budget. An address the account logged in from before ("known-good", persisted) is still held
 * to its own per-address limit but passes the username and global locks, so nobody can lock the
 * admin out by failing on purpose. `komari unlock` clears every lock of a running server.
 */
export class LoginGuard {
  readonly #store: LoginGuardStore;
  readonly #clock: Clock;
  readonly #limits: ServerLimits['login'];
  readonly #perIp: FailureLimiter;
  readonly #perAccount: FailureLimiter;
  readonly #global: FailureLimiter;
  readonly #unlock: CliMarker;

  constructor(store: LoginGuardStore, clock: Clock, limits: ServerLimits['login']) {
    this.#store = store;
    this.#clock = clock;
    this.#limits = limits;
    this.#perIp = new FailureLimiter(limits.perIp, clock, limits.maxKeys);
    this.#perAccount = new FailureLimiter(limits.perAccount, clock, limits.maxKeys);
    this.#global = new FailureLimiter(limits.global, clock);
    this.#unlock = new CliMarker(store, 'unlock');
  }

  start(): Promise<void> {
    return this.#unlock.start();
  }

  /**
   * Milliseconds this attempt must wait; 0 to go ahead. `accountUuid` is the account the
   * username names, if any: its known-good addresses pass the username and global locks.
   */
  async waitMs(ip: string, username: string, accountUuid: string | undefined): Promise<number> {
    const wait = await this.#waitMs(addressGroup(ip), username, accountUuid);
    if (wait === 0 || !(await this.#unlock.fired())) return wait;
    this.#perIp.resetAll();
    this.#perAccount.resetAll();
    this.#global.resetAll();
    return 0;
  }

  async #waitMs(ipKey: string, username: string, accountUuid: string | undefined): Promise<number> {
    const ipWait = this.#perIp.retryAfterMs(ipKey);
    const sharedWait = Math.max(this.#perAccount.retryAfterMs(username), this.#global.retryAfterMs(everyone));
    if (sharedWait <= ipWait) return ipWait;
    if (accountUuid !== undefined && (await this.#store.isKnownAddress(accountUuid, ipKey))) return ipWait;
    return sharedWait;
  }

  failed(ip: string, username: string): void {
    this.#perIp.fail(addressGroup(ip));
    this.#perAccount.fail(username);
    this.#global.fail(everyone);
  }

  /** A successful login: the address's own count starts over and it becomes known-good. */
  async succeeded(ip: string, accountUuid: string): Promise<void> {
    const ipKey = addressGroup(ip);
    this.#perIp.reset(ipKey);
    await this.#store.rememberAddress(accountUuid, ipKey, this.#clock.now(), this.#limits.knownAddressesPerAccount);
  }
}
