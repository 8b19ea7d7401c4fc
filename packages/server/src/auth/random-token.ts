import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * `length` characters uniformly from [0-9A-Za-z], as Komari generates tokens: CSPRNG bytes with
 * rejection sampling (bytes >= 248 discarded, then byte % 62). Agent tokens are 22 characters,
 * session tokens 32.
 */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b >= 248) continue;
      out += alphabet[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}
