import { createHash, randomBytes } from 'node:crypto';
import { UnknownKeyError, verifyIdToken } from '../id-token.ts';
import type { FieldSpec, ProviderConfig } from '../items.ts';
import type { DiscoveryDocument } from '../oidc-discovery.ts';
import { asObject, fetchJson } from '../provider-http.ts';
import { goFormatValue } from './go-format.ts';
import { requireFields, withQuery, type OAuthProvider, type ProviderEnv } from './types.ts';

const defaultScope = 'openid profile email';
const defaultIdField = 'sub';

const fields: readonly FieldSpec[] = [
  { name: 'issuer', required: true, help: 'Issuer URL; <issuer>/.well-known/openid-configuration must answer' },
  { name: 'client_id', required: true },
  { name: 'client_secret', help: 'Empty for a public client (PKCE only)' },
  { name: 'scope', default: defaultScope },
  { name: 'user_id_field', default: defaultIdField, help: 'ID token claim (or user info field) that identifies the user' },
];

function scopeOf(config: ProviderConfig): string {
  const scopes = (config.scope || defaultScope).split(/\s+/).filter(Boolean);
  return (scopes.includes('openid') ? scopes : ['openid', ...scopes]).join(' ');
}

/** client_secret_basic unless the issuer lists only client_secret_post; a public client sends only its id. */
function clientAuth(doc: DiscoveryDocument, config: ProviderConfig, form: URLSearchParams): Record<string, string> {
  const id = config.client_id!;
  const secret = config.client_secret ?? '';
  if (!secret) {
    form.set('client_id', id);
    return {};
  }
  const methods = doc.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  if (methods.includes('client_secret_basic')) {
    // RFC 6749 §2.3.1: both parts form-encoded before base64.
    const pair = `${encodeURIComponent(id)}:${encodeURIComponent(secret)}`;
    return { Authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
  }
  if (methods.includes('client_secret_post')) {
    form.set('client_id', id);
    form.set('client_secret', secret);
    return {};
  }
  throw new Error(`the issuer supports none of client_secret_basic, client_secret_post (${methods.join(', ')})`);
}

async function verifiedClaims(idToken: string, config: ProviderConfig, nonce: string, env: ProviderEnv): Promise<Record<string, unknown>> {
  const expect = { issuer: config.issuer!, clientId: config.client_id!, nonce, now: env.now(), skewMs: env.clockSkewMs };
  try {
    return verifyIdToken(idToken, await env.discovery.keys(config.issuer!), expect);
  } catch (err) {
    if (!(err instanceof UnknownKeyError)) throw err;
    // The issuer may have rotated its keys since they were cached: read them once more.
    return verifyIdToken(idToken, await env.discovery.keys(config.issuer!, true), expect);
  }
}

/** The configured field from the ID token, else from the user info endpoint (same subject only). */
async function userIdOf(claims: Record<string, unknown>, accessToken: unknown, doc: DiscoveryDocument, field: string, env: ProviderEnv): Promise<string> {
  let id = goFormatValue(claims[field]);
  if (id === undefined && doc.userinfo_endpoint && typeof accessToken === 'string') {
    const info = asObject(await fetchJson(doc.userinfo_endpoint, { headers: { Authorization: `Bearer ${accessToken}` } }, env.http), 'the user info answer');
    if (info.sub !== claims.sub) throw new Error('the user info belongs to another subject');
    id = goFormatValue(info[field]);
  }
  if (id === undefined || id === '') throw new Error(`neither the ID token nor the user info has a usable ${JSON.stringify(field)}`);
  return id;
}

/**
 * OpenID Connect (beyond Komari): discovery from the issuer, authorization code with PKCE S256 and
 * a nonce, the ID token verified against the issuer's JWKS. sso_id is `oidc_<sub>` by default.
 */
export const oidcProvider: OAuthProvider = {
  name: 'oidc',
  fields,
  secretFields: ['client_secret'],
  sendsRedirectUri: true,
  echoesState: true,
  async authorize(config, state, env) {
    requireFields(config, ['issuer', 'client_id'], 'oidc');
    const doc = await env.discovery.document(config.issuer!);
    const verifier = randomBytes(32).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    const url = withQuery(doc.authorization_endpoint, {
      response_type: 'code',
      client_id: config.client_id!,
      redirect_uri: env.callbackUrl,
      scope: scopeOf(config),
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    return { url, extra: { verifier, nonce } };
  },
  async exchange(config, query, extra, env) {
    requireFields(config, ['issuer', 'client_id'], 'oidc');
    if (query.error) throw new Error(`the issuer answered ${query.error}${query.error_description ? `: ${query.error_description}` : ''}`);
    if (!query.code) throw new Error('no authorization code provided');
    // RFC 9207: when the issuer names itself in the response, it must be the configured one.
    if (query.iss !== undefined && query.iss !== config.issuer) throw new Error('the authorization response comes from another issuer');
    const doc = await env.discovery.document(config.issuer!);
    const form = new URLSearchParams({ grant_type: 'authorization_code', code: query.code, redirect_uri: env.callbackUrl, code_verifier: extra.verifier ?? '' });
    const headers = clientAuth(doc, config, form);
    const token = asObject(await fetchJson(doc.token_endpoint, { method: 'POST', headers, body: form }, env.http), 'the token answer');
    if (typeof token.id_token !== 'string') throw new Error(`no ID token: ${String(token.error_description ?? token.error ?? 'the token answer has none')}`);
    const claims = await verifiedClaims(token.id_token, config, extra.nonce ?? '', env);
    return userIdOf(claims, token.access_token, doc, config.user_id_field || defaultIdField, env);
  },
};
