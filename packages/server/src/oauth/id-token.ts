import { constants, createPublicKey, verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import type { Jwk } from './oidc-discovery.ts';

/** No key of the set matches the token's `kid`: the caller may re-read the key set once. */
export class UnknownKeyError extends Error {}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  now: number;
  skewMs: number;
}

type Claims = Record<string, unknown>;

/** The algorithms accepted, each with the key type it needs and how node:crypto checks it. */
const algorithms: Record<string, { kty: string; crv?: string; digest: string | null; options: (key: KeyObject) => KeyObject | VerifyKeyObjectInput }> = {
  RS256: { kty: 'RSA', digest: 'sha256', options: (key) => key },
  PS256: { kty: 'RSA', digest: 'sha256', options: (key) => ({ key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }) },
  ES256: { kty: 'EC', crv: 'P-256', digest: 'sha256', options: (key) => ({ key, dsaEncoding: 'ieee-p1363' }) },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', digest: null, options: (key) => key },
};

function decodePart(part: string, what: string): Claims {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Claims;
  } catch {
    // reported below
  }
  throw new Error(`the ID token's ${what} is not a JSON object`);
}

/** Checks the JWS signature against the issuer's keys; returns the payload. */
function verifySignature(token: string, keys: readonly Jwk[]): Claims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('the ID token is not a signed JWT');
  const [head, body, sig] = parts as [string, string, string];
  const header = decodePart(head, 'header');
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const rule = algorithms[alg];
  if (!rule) throw new Error(`the ID token is signed with ${JSON.stringify(alg)}, which is not accepted (RS256, PS256, ES256, EdDSA)`);
  const candidates = keys.filter(
    (k) =>
      (header.kid === undefined || k.kid === header.kid) &&
      k.kty === rule.kty &&
      (rule.crv === undefined || k.crv === rule.crv) &&
      (k.use === undefined || k.use === 'sig') &&
      (k.alg === undefined || k.alg === alg),
  );
  if (candidates.length === 0) throw new UnknownKeyError(`no key of the issuer matches the ID token (kid ${JSON.stringify(header.kid ?? null)}, ${alg})`);
  const data = Buffer.from(`${head}.${body}`);
  const signature = Buffer.from(sig, 'base64url');
  for (const jwk of candidates) {
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    if (verify(rule.digest, data, rule.options(key), signature)) return decodePart(body, 'payload');
  }
  throw new Error('the ID token signature is invalid');
}

function checkClaims(claims: Claims, e: IdTokenExpectations): void {
  if (claims.iss !== e.issuer) throw new Error(`the ID token was issued by ${JSON.stringify(claims.iss)}, not ${JSON.stringify(e.issuer)}`);
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(e.clientId)) throw new Error(`the ID token is meant for ${JSON.stringify(aud)}, not this client`);
  // OpenID Connect Core §3.1.3.7: with several audiences, the authorised party must be us.
  if ((audiences.length > 1 || claims.azp !== undefined) && claims.azp !== e.clientId) throw new Error('the ID token names another authorised party (azp)');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 + e.skewMs <= e.now) throw new Error('the ID token has expired');
  if (typeof claims.iat !== 'number' || claims.iat * 1000 - e.skewMs > e.now) throw new Error('the ID token is issued in the future');
  if (claims.nonce !== e.nonce) throw new Error('the ID token nonce does not match this login');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new Error('the ID token has no subject');
}

/**
 * Verifies an OpenID Connect ID token with node:crypto only: signature against the issuer's key
 * set, then iss, aud (and azp), exp/iat with a small skew, nonce and sub. Returns the claims.
 */
export function verifyIdToken(token: string, keys: readonly Jwk[], expect: IdTokenExpectations): Claims {
  const claims = verifySignature(token, keys);
  checkClaims(claims, expect);
  return claims;
}
