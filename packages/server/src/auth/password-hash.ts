import { argon2, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const argon2Async = promisify(argon2);

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const params = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 };
const prefix = 'argon2id$';

async function derive(password: string, nonce: Buffer, p = params): Promise<Buffer> {
  return argon2Async('argon2id', { message: password, nonce, ...p });
}

/** `argon2id$m=19456,t=2,p=1$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const tag = await derive(password, nonce);
  return `${prefix}m=${params.memory},t=${params.passes},p=${params.parallelism}$${nonce.toString('base64')}$${tag.toString('base64')}`;
}

/** Komari's hash (auth.md §3): base64(SHA-256(password + "06Wm4Jv1Hkxx")). */
export function legacyKomariHash(password: string): string {
  return createHash('sha256').update(password + '06Wm4Jv1Hkxx', 'utf8').digest('base64');
}

export function isLegacyHash(stored: string): boolean {
  return !stored.startsWith(prefix);
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (isLegacyHash(stored)) return equal(Buffer.from(legacyKomariHash(password)), Buffer.from(stored));
  const [, settings, salt, hash] = stored.split('$');
  const m = /^m=(\d+),t=(\d+),p=(\d+)$/.exec(settings ?? '');
  if (!m || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const tag = await derive(password, Buffer.from(salt, 'base64'), {
    memory: Number(m[1]),
    passes: Number(m[2]),
    parallelism: Number(m[3]),
    tagLength: expected.length,
  });
  return equal(tag, expected);
}
