import assert from 'node:assert/strict';
import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { UnknownKeyError, verifyIdToken } from '../src/oauth/id-token.ts';

const now = Date.UTC(2026, 11, 7, 2, 0, 0);
const expect = { issuer: 'https://idp.example', clientId: 'komari', nonce: 'n-1', now, skewMs: 60_000 };
const claims = { iss: 'https://idp.example', aud: 'komari', sub: 'alice', nonce: 'n-1', iat: now / 1000, exp: now / 1000 + 300 };

const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

type Alg = 'RS256' | 'PS256' | 'ES256' | 'EdDSA';

function keyPair(alg: Alg): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const pair =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : alg === 'EdDSA' ? generateKeyPairSync('ed25519')
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey: pair.privateKey, jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid: alg } };
}

function jwt(alg: Alg, privateKey: KeyObject, payload: object, kid: string = alg): string {
  const data = Buffer.from(`${enc({ alg, kid })}.${enc(payload)}`);
  const sig =
    alg === 'ES256' ? sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
    : alg === 'PS256' ? sign('sha256', data, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    : alg === 'EdDSA' ? sign(null, data, privateKey)
    : sign('sha256', data, privateKey);
  return `${data.toString()}.${sig.toString('base64url')}`;
}

describe('ID token verification (node:crypto only)', () => {
  for (const alg of ['RS256', 'PS256', 'ES256', 'EdDSA'] as const) {
    it(`accepts a good ${alg} token and refuses the same token with one payload byte changed`, () => {
      const { privateKey, jwk } = keyPair(alg);
      const token = jwt(alg, privateKey, claims);
      assert.equal(verifyIdToken(token, [jwk], expect).sub, 'alice');
      const [h, , s] = token.split('.');
      const forged = `${h}.${enc({ ...claims, sub: 'mallory' })}.${s}`;
      assert.throws(() => verifyIdToken(forged, [jwk], expect), /signature is invalid/);
    });
  }

  it('refuses a key of the wrong type for the algorithm (an RSA kid presented as ES256)', () => {
    const rsa = keyPair('RS256');
    const token = jwt('RS256', rsa.privateKey, claims, 'RS256').replace(enc({ alg: 'RS256', kid: 'RS256' }), enc({ alg: 'ES256', kid: 'RS256' }));
    assert.throws(() => verifyIdToken(token, [rsa.jwk], expect), UnknownKeyError);
  });

  it('refuses HS256 (a public key used as an HMAC secret) and alg none', () => {
    const { jwk } = keyPair('RS256');
    assert.throws(() => verifyIdToken(`${enc({ alg: 'HS256', kid: 'RS256' })}.${enc(claims)}.x`, [jwk], expect), /not accepted/);
    assert.throws(() => verifyIdToken(`${enc({ alg: 'none' })}.${enc(claims)}.`, [jwk], expect), /not accepted/);
  });

  it('an unknown kid is an UnknownKeyError (the caller re-reads the key set once)', () => {
    const { privateKey, jwk } = keyPair('RS256');
    assert.throws(() => verifyIdToken(jwt('RS256', privateKey, claims, 'other'), [jwk], expect), UnknownKeyError);
  });

  it('checks the claims: audience array needs azp, exp and iat within the skew, nonce, subject', () => {
    const { privateKey, jwk } = keyPair('ES256');
    const check = (extra: object) => () => verifyIdToken(jwt('ES256', privateKey, { ...claims, ...extra }), [jwk], expect);
    assert.equal(check({ aud: ['other', 'komari'], azp: 'komari' })().sub, 'alice');
    assert.throws(check({ aud: ['other', 'komari'] }), /authorised party/);
    assert.throws(check({ aud: 'komari', azp: 'other' }), /authorised party/);
    assert.throws(check({ aud: ['other'] }), /meant for/);
    assert.equal(check({ exp: now / 1000 - 30 })().sub, 'alice', 'within the skew');
    assert.throws(check({ exp: now / 1000 - 61 }), /expired/);
    assert.throws(check({ exp: undefined }), /expired/);
    assert.throws(check({ iat: now / 1000 + 120 }), /in the future/);
    assert.throws(check({ nonce: 'n-2' }), /nonce/);
    assert.throws(check({ nonce: undefined }), /nonce/);
    assert.throws(check({ sub: '' }), /no subject/);
    assert.throws(check({ iss: 'https://idp.example/' }), /issued by/);
  });

  it('refuses what is not a JWT', () => {
    assert.throws(() => verifyIdToken('abc', [], expect), /not a signed JWT/);
    assert.throws(() => verifyIdToken('a.b.c', [], expect), /header is not a JSON object/);
  });
});
