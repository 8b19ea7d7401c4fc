import type { Clock } from '../clock.ts';
import { remoteControlLimits, type RemoteControlLimits } from './limits.ts';

/**
 * In-memory grants of the file manager's 2FA check, per (user, node), each valid for
 * `filesGrantIdleMs` since its last use. A Map keeps insertion order, and every use moves its key
 * to the end, so the first entries are always the least recently used: expired ones are dropped
 * from the front, and past `maxFilesGrants` the front one goes. Lost on restart, which only means
 * one more code.
 */
export class FileGrants {
  readonly #clock: Clock;
  readonly #limits: RemoteControlLimits;
  readonly #lastUse = new Map<string, number>();

  constructor(clock: Clock, limits: RemoteControlLimits = remoteControlLimits) {
    this.#clock = clock;
    this.#limits = limits;
  }

  get size(): number {
    return this.#lastUse.size;
  }

  /** Whether (user, node) holds a live grant; a live one is renewed by this use. */
  use(userUuid: string, nodeUuid: string): boolean {
    this.#dropExpired();
    const key = keyOf(userUuid, nodeUuid);
    if (!this.#lastUse.has(key)) return false;
    this.#touch(key);
    return true;
  }

  grant(userUuid: string, nodeUuid: string): void {
    this.#dropExpired();
    this.#touch(keyOf(userUuid, nodeUuid));
    while (this.#lastUse.size > this.#limits.maxFilesGrants) {
      this.#lastUse.delete(this.#lastUse.keys().next().value!);
    }
  }

  /** Every grant of this user (logout, password or 2FA change). */
  dropUser(userUuid: string): void {
    this.#dropWhere((user) => user === userUuid);
  }

  /** Every grant on this node (the node was deleted). */
  dropNode(nodeUuid: string): void {
    this.#dropWhere((_user, node) => node === nodeUuid);
  }

  #dropWhere(match: (user: string, node: string) => boolean): void {
    for (const key of [...this.#lastUse.keys()]) {
      const [user = '', node = ''] = key.split('\u0000');
      if (match(user, node)) this.#lastUse.delete(key);
    }
  }

  #touch(key: string): void {
    this.#lastUse.delete(key);
    this.#lastUse.set(key, this.#clock.now());
  }

  #dropExpired(): void {
    const oldest = this.#clock.now() - this.#limits.filesGrantIdleMs;
    for (const [key, at] of this.#lastUse) {
      if (at > oldest) break;
      this.#lastUse.delete(key);
    }
  }
}

// uuids hold no NUL, so the pair cannot be forged from another pair.
function keyOf(userUuid: string, nodeUuid: string): string {
  return `${userUuid}\u0000${nodeUuid}`;
}
