import { defaultTerminalLimits, type TerminalLimits } from '../terminal/limits.ts';

export interface LimitRule {
  /** failures allowed inside the window before further attempts are refused */
  maxFailures: number;
  windowMs: number;
}

/**
 * Every bound on what the server holds in memory per node, per socket or per request, and on the
 * answers it builds from that, in one place. Tests shrink them through `buildApp({ limits })`;
 * operators read them in the README's security section.
 */
export interface ServerLimits {
  /** what one agent report may pin (the recent window keeps a minute of them per node) */
  report: {
    /** `message` and every other free-form string of a report, in UTF-8 bytes; longer is cut */
    maxTextBytes: number;
  };
  recent: {
    /** reports kept per node in the recent window, whatever the interval */
    maxReportsPerNode: number;
    /** bytes one node's recent window may hold, numbers and texts together */
    maxBytesPerNode: number;
  };
  /** `/api/rpc2` over HTTP and WebSocket */
  rpc: {
    /** requests in one batch; more is a JSON-RPC error, nothing is run */
    maxBatch: number;
    /** bytes of one answer (a batch's answers added up); past it the call fails with an error */
    maxResponseBytes: number;
  };
  /** browser WebSockets: `/api/clients` viewers and `/api/rpc2` sockets */
  viewers: {
    /** a viewer that has not sent `get` (or a call) for this long is closed */
    idleMs: number;
    /** the server pings every socket this often; one that misses a pong is closed */
    pingEveryMs: number;
    /** sockets one guest address may hold open (IPv6 counted by /64) */
    maxGuestSocketsPerIp: number;
    /** sockets all guests together may hold open; agents and admins are never counted */
    maxGuestSockets: number;
  };
  login: {
    perIp: LimitRule;
    perAccount: LimitRule;
    /** failures from everywhere together: a spread-out guess campaign slows down too */
    global: LimitRule;
    /** keys each limiter tracks; a locked key is never evicted to make room */
    maxKeys: number;
  };
  terminal: TerminalLimits;
  /** OAuth / OIDC single sign-on (oauth/) */
  oauth: {
    /** an issued state is accepted this long, once (the cookie itself lives 3600 s, as in Komari) */
    stateTtlMs: number;
    /** states waiting for their callback; past it the oldest is dropped */
    maxPendingStates: number;
    /** failed callbacks per client IP before 429 */
    perIp: LimitRule;
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
  };
}

export const defaultServerLimits: ServerLimits = {
  report: {
    maxTextBytes: 4096,
  },
  recent: {
    maxReportsPerNode: 120,
    maxBytesPerNode: 64 * 1024,
  },
  rpc: {
    maxBatch: 50,
    maxResponseBytes: 8 * 1024 * 1024,
  },
  viewers: {
    idleMs: 60_000,
    pingEveryMs: 30_000,
    maxGuestSocketsPerIp: 32,
    maxGuestSockets: 4096,
  },
  login: {
    perIp: { maxFailures: 10, windowMs: 10 * 60_000 },
    perAccount: { maxFailures: 20, windowMs: 10 * 60_000 },
    global: { maxFailures: 1000, windowMs: 10 * 60_000 },
    maxKeys: 10_000,
  },
  terminal: defaultTerminalLimits,
  oauth: {
    stateTtlMs: 10 * 60_000,
    maxPendingStates: 1000,
    perIp: { maxFailures: 10, windowMs: 10 * 60_000 },
    fetchTimeoutMs: 10_000,
    maxResponseBytes: 256 * 1024,
    discoveryTtlMs: 60 * 60_000,
    maxCachedIssuers: 8,
    clockSkewMs: 60_000,
  },
};

export type LimitOverrides = { [K in keyof ServerLimits]?: Partial<ServerLimits[K]> };

/** The defaults with each overridden section merged in (one level deep). */
export function resolveLimits(overrides: LimitOverrides = {}): ServerLimits {
  const out = structuredClone(defaultServerLimits) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(overrides)) {
    if (values) out[section] = { ...out[section], ...values };
  }
  return out as unknown as ServerLimits;
}
