import { createHmac, randomBytes } from 'node:crypto';

const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const stepMs = 30_000;

function decodeBase32(secret: string): Buffer {
  const clean = secret.replace(/=+$/, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const idx = base32.indexOf(ch);
    if (idx < 0) continue;
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function encodeBase32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = ((value << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += base32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += base32[(value << (5 - bits)) & 31];
  return out;
}

/** A new secret as Komari's library makes one: 20 random bytes, unpadded Base32 (32 chars). */
export function generateTotpSecret(): string {
  return encodeBase32(randomBytes(20));
}

/** RFC 6238 code (HMAC-SHA1, 6 digits, 30 s) for the step containing `timeMs`. */
export function totpCode(secret: string, timeMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / stepMs)));
  const mac = createHmac('sha1', decodeBase32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(bin % 1_000_000).padStart(6, '0');
}

/**
 * The 30 s step whose code `code` is, among the current step ±1 as Komari's library accepts
 * (auth.md §6); undefined when none matches. Callers claim the step so a code is good once.
 */
export function matchTotpStep(secret: string, code: string, timeMs: number): number | undefined {
  const c = code.trim();
  if (!/^\d{6}$/.test(c)) return undefined;
  const now = Math.floor(timeMs / stepMs);
  return [now - 1, now, now + 1].find((step) => totpCode(secret, step * stepMs) === c);
}

/** Whether the code is valid right now, ignoring replays (for a secret not stored yet). */
export function verifyTotp(secret: string, code: string, timeMs: number): boolean {
  return matchTotpStep(secret, code, timeMs) !== undefined;
}
