import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { sendJson, startFakeProvider, type FakeProvider } from './oauth.ts';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** the public JWK as a key set publishes it */
  jwk: Record<string, unknown>;
}

export function rsaKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } };
}

/** An RS256 JWT signed with `key`, naming `kid` in its header (which may be another key's). */
export function signJwt(payload: Record<string, unknown>, key: SigningKey, kid = key.kid): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${enc({ alg: 'RS256', typ: 'JWT', kid })}.${enc(payload)}`;
  return `${data}.${sign('sha256', Buffer.from(data), key.privateKey).toString('base64url')}`;
}

export interface FakeIssuer extends FakeProvider {
  /** `next`: the id_token the token endpoint answers */
  idToken: { next: string };
  /** the key set it publishes; a test may add a key (rotation) */
  published: SigningKey[];
}

/**
 * A local stand-in for an OpenID Provider whose token endpoint answers whatever ID token the test
 * minted: the way to present a wrong audience, a bad signature or a foreign nonce.
 */
export async function startFakeIssuer(first: SigningKey): Promise<FakeIssuer> {
  const published = [first];
  const idToken = { next: '' };
  const fake = await startFakeProvider((req, res) => {
    const base = `http://${req.headers.host}`;
    if (req.url.pathname === '/.well-known/openid-configuration') {
      return sendJson(res, 200, {
        issuer: base,
        authorization_endpoint: `${base}/auth`,
        token_endpoint: `${base}/token`,
        jwks_uri: `${base}/jwks`,
        token_endpoint_auth_methods_supported: ['client_secret_post'],
      });
    }
    if (req.url.pathname === '/jwks') return sendJson(res, 200, { keys: published.map((k) => k.jwk) });
    if (req.url.pathname === '/token' && req.method === 'POST') return sendJson(res, 200, { access_token: 'at', token_type: 'Bearer', id_token: idToken.next });
    sendJson(res, 404, {});
  });
  return { ...fake, idToken, published };
}

/** A browser's cookie jar, enough for oidc-provider's interaction cookies. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const m = /^([^=]+)=([^;]*)/.exec(c);
      if (!m) continue;
      if (m[2] === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.#cookies.delete(m[1]!);
      else this.#cookies.set(m[1]!, m[2]!);
    }
  }

  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
