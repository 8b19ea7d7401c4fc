import type { Clock } from '../clock.ts';
import type { AuditStore } from '../store/types.ts';

export type AuditType = 'info' | 'warn' | 'error' | 'login' | 'logout' | 'terminal' | 'renewal' | 'visitor';

/** The audit log of admin actions (auth.md §12); rows are kept 30 days. */
export class AuditService {
  static readonly retentionMs = 30 * 24 * 3600 * 1000;
  readonly #store: AuditStore;
  readonly #clock: Clock;

  constructor(store: AuditStore, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async log(ip: string, uuid: string, message: string, type: AuditType): Promise<void> {
    await this.#store.add({ ip, uuid, message, msgType: type, time: this.#clock.now() });
  }

  async prune(): Promise<number> {
    return this.#store.deleteBefore(this.#clock.now() - AuditService.retentionMs);
  }
}
