import type { LimitRule } from '../config/limits.ts';

/** OAuth / OIDC single sign-on (oauth/), as data */
export interface OAuthLimits {
  /** an issued state is accepted this long, once (the cookie itself lives 3600 s, as in Komari) */
  stateTtlMs: number;
  /** states waiting for their callback; past it the oldest of the address holding the most is dropped */
  maxPendingStates: number;
  /** failed callbacks per client IP before 429 */
  perIp: LimitRule;
  /**
   * logins started (`GET /api/oauth`) per client address before 429: each start may make the
   * server fetch from the provider (QQ's aggregator, OIDC discovery), and a person starts a few
   */
  startsPerIp: LimitRule;
  /** one request to a provider (token, user info, discovery, JWKS) is abandoned after this */
  fetchTimeoutMs: number;
  /** bytes of one provider answer; a longer one fails the login */
  maxResponseBytes: number;
  /** OIDC discovery documents and key sets are re-read after this */
  discoveryTtlMs: number;
  /** issuers whose discovery document and key set are cached */
  maxCachedIssuers: number;
  /** tolerated clock difference when checking an ID token's exp and iat */
  clockSkewMs: number;
}

export const defaultOAuthLimits: OAuthLimits = {
  stateTtlMs: 10 * 60_000,
  maxPendingStates: 1000,
  perIp: { maxFailures: 10, windowMs: 10 * 60_000 },
  startsPerIp: { maxFailures: 30, windowMs: 60_000 },
  fetchTimeoutMs: 10_000,
  maxResponseBytes: 256 * 1024,
  discoveryTtlMs: 60 * 60_000,
  maxCachedIssuers: 8,
  clockSkewMs: 60_000,
};
