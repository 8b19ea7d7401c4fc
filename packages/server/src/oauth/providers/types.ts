import type { FieldSpec, ProviderConfig } from '../items.ts';
import type { ProviderHttpLimits } from '../provider-http.ts';
import type { OidcDiscovery } from '../oidc-discovery.ts';

/**
 * GitHub's fixed base URLs. Only tests point them elsewhere (`startServer(…, { oauthEndpoints })`),
 * never configuration, so a production server cannot be redirected to a fake GitHub.
 */
export interface OAuthEndpoints {
  githubWeb: string;
  githubApi: string;
}

export const defaultOAuthEndpoints: OAuthEndpoints = {
  githubWeb: 'https://github.com',
  githubApi: 'https://api.github.com',
};

/** What a provider may use besides its configuration. */
export interface ProviderEnv {
  /** `KOMARI_PUBLIC_URL` + `/api/oauth_callback`; "" when no public URL is configured */
  callbackUrl: string;
  endpoints: OAuthEndpoints;
  http: ProviderHttpLimits;
  discovery: OidcDiscovery;
  now(): number;
  clockSkewMs: number;
}

/** Values kept beside an issued state until its callback (PKCE verifier, nonce). */
export type StateExtra = Record<string, string>;

export interface OAuthProvider {
  name: string;
  fields: readonly FieldSpec[];
  /** fields masked out of every error message */
  secretFields: readonly string[];
  /** sends a `redirect_uri`, which must come from KOMARI_PUBLIC_URL */
  sendsRedirectUri: boolean;
  /** the callback carries `state` back in its query (QQ's aggregator does not) */
  echoesState: boolean;
  /** The URL the browser is sent to, and what to remember with the state. */
  authorize(config: ProviderConfig, state: string, env: ProviderEnv): Promise<{ url: string; extra?: StateExtra }>;
  /** Turns the callback query into the external user id (the part after `<name>_` in sso_id). */
  exchange(config: ProviderConfig, query: Record<string, string>, extra: StateExtra, env: ProviderEnv): Promise<string>;
}

/** The values of a config's secret fields, for masking. */
export function secretsOf(p: OAuthProvider, config: ProviderConfig): string[] {
  return p.secretFields.map((f) => config[f] ?? '').filter((v) => v !== '');
}

/** Appends query parameters to a URL that may already carry some (Komari's `?` quirk is not kept). */
export function withQuery(base: string, params: Record<string, string>): string {
  const q = new URLSearchParams(params).toString();
  return base + (base.includes('?') ? '&' : '?') + q;
}

export function requireFields(config: ProviderConfig, names: readonly string[], provider: string): void {
  const missing = names.filter((n) => !config[n]);
  if (missing.length > 0) throw new Error(`the ${provider} provider is not configured: ${missing.join(', ')} missing`);
}
