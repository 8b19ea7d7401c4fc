import { totpCode } from '../../src/auth/totp.ts';
import type { ManualClock } from './clock.ts';

/** A six-digit code that no step the server could accept at `now` produces. */
export function wrongCode(secret: string, now = Date.now()): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secret, now + d * 30_000)));
  for (let i = 0; ; i++) {
    const c = String(i).padStart(6, '0');
    if (!valid.has(c)) return c;
  }
}

/**
 * A code the server accepts once (issue 12: a used step is refused): moves the test's clock one
 * 30 s step forward and answers that step's code.
 */
export function nextCode(secret: string, clock: ManualClock): string {
  clock.advance(30_000);
  return totpCode(secret, clock.now());
}
