import type { TerminalLimits } from './limits.ts';
import type { TerminalInfo } from './session.ts';

type Owner = Pick<TerminalInfo, 'clientUuid' | 'userUuid'>;

/**
 * Ids of sessions that ended recently and whose they were, so that their owner re-attaching
 * (a page reload after the grace ran out) is told "Terminal session expired" rather than a bare
 * 404 a browser cannot read. Bounded in count and age; anyone else still gets the 404.
 */
export class EndedSessions {
  readonly #limits: Pick<TerminalLimits, 'endedMemoryMs' | 'endedMemorySize'>;
  readonly #byId = new Map<string, Owner & { at: number }>();

  constructor(limits: Pick<TerminalLimits, 'endedMemoryMs' | 'endedMemorySize'>) {
    this.#limits = limits;
  }

  add(id: string, info: Owner): void {
    this.#byId.delete(id);
    this.#byId.set(id, { clientUuid: info.clientUuid, userUuid: info.userUuid, at: performance.now() });
    while (this.#byId.size > this.#limits.endedMemorySize) this.#byId.delete(this.#byId.keys().next().value as string);
  }

  get(id: string): Owner | undefined {
    const entry = this.#byId.get(id);
    if (!entry) return undefined;
    if (performance.now() - entry.at > this.#limits.endedMemoryMs) {
      this.#byId.delete(id);
      return undefined;
    }
    return { clientUuid: entry.clientUuid, userUuid: entry.userUuid };
  }
}
