import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { FileLimits } from './limits.ts';

interface Grant {
  uuid: string;
  path: string;
  expiresAt: number;
}

/**
 * Preview tokens (komari-1.5.md §2.4): a uuid4 bound to one client and one path, reusable until
 * it expires (10 min). Past `maxPreviewTokens` the oldest goes (a Map keeps insertion order).
 */
export class PreviewTokens {
  readonly #grants = new Map<string, Grant>();
  readonly #limits: FileLimits;
  readonly #clock: Clock;

  constructor(limits: FileLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  get size(): number {
    return this.#grants.size;
  }

  issue(uuid: string, path: string): { token: string; expiresIn: number } {
    this.sweep();
    while (this.#grants.size >= this.#limits.maxPreviewTokens) this.#grants.delete(this.#grants.keys().next().value!);
    const token = randomUUID();
    this.#grants.set(token, { uuid, path, expiresAt: this.#clock.now() + this.#limits.previewTtlMs });
    return { token, expiresIn: Math.round(this.#limits.previewTtlMs / 1000) };
  }

  /** The path the token grants on `uuid`, or undefined when it is unknown, expired or another client's. */
  pathOf(token: string, uuid: string): string | undefined {
    const g = this.#grants.get(token);
    if (!g || g.uuid !== uuid || g.expiresAt <= this.#clock.now()) return undefined;
    return g.path;
  }

  sweep(): void {
    const now = this.#clock.now();
    for (const [token, g] of this.#grants) if (g.expiresAt <= now) this.#grants.delete(token);
  }
}
