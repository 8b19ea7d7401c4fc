import { AddressLimiter } from '../auth/login-throttle.ts';
import type { Clock } from '../clock.ts';
import type { ServerLimits } from '../config/limits.ts';
import type { OidcProviderStore } from '../store/types.ts';
import { parseConfig, zeroConfig, type ProviderConfig } from './items.ts';
import { OidcDiscovery } from './oidc-discovery.ts';
import { oauthProviders } from './providers/index.ts';
import { defaultOAuthEndpoints, type OAuthEndpoints, type OAuthProvider, type ProviderEnv } from './providers/types.ts';
import { OAuthStateStore } from './state-store.ts';

export const callbackPath = '/api/oauth_callback';

/** The providers, their stored configurations, issued states and the callback's failure limiter. */
export class OAuthService {
  readonly states: OAuthStateStore;
  /** failed callbacks per client address */
  readonly failures: AddressLimiter;
  /** logins started per client address: every start counts, so the limiter is a rate limit here */
  readonly starts: AddressLimiter;
  readonly discovery: OidcDiscovery;
  readonly #store: OidcProviderStore;
  readonly #limits: ServerLimits['oauth'];
  readonly #endpoints: OAuthEndpoints;
  readonly #publicUrl: string;
  readonly #clock: Clock;

  constructor(opts: { store: OidcProviderStore; clock: Clock; limits: ServerLimits['oauth']; publicUrl: string; endpoints?: Partial<OAuthEndpoints> }) {
    this.#store = opts.store;
    this.#clock = opts.clock;
    this.#limits = opts.limits;
    this.#publicUrl = opts.publicUrl.replace(/\/+$/, '');
    this.#endpoints = { ...defaultOAuthEndpoints, ...opts.endpoints };
    this.states = new OAuthStateStore(opts.clock, opts.limits);
    this.failures = new AddressLimiter(opts.limits.perIp, opts.clock);
    this.starts = new AddressLimiter(opts.limits.startsPerIp, opts.clock);
    this.discovery = new OidcDiscovery(opts.clock, opts.limits);
  }

  provider(name: string): OAuthProvider | undefined {
    return oauthProviders.find((p) => p.name === name);
  }

  /** Komari: `""` and `"none"` mean github. */
  static activeName(setting: string): string {
    return setting === '' || setting === 'none' ? 'github' : setting;
  }

  /** On boot: a zero-value row for every provider that lacks one (admin-api.md §3.5). */
  async ensureRows(): Promise<void> {
    const have = new Set((await this.#store.list()).map((r) => r.name));
    for (const p of oauthProviders) {
      if (!have.has(p.name)) await this.#store.set({ name: p.name, addition: JSON.stringify(zeroConfig(p.fields)) });
    }
  }

  async config(p: OAuthProvider): Promise<ProviderConfig> {
    const row = await this.#store.get(p.name);
    return parseConfig(p.fields, row?.addition ?? '');
  }

  /** "" when KOMARI_PUBLIC_URL is not set: the callback URL never comes from request headers. */
  get callbackUrl(): string {
    return this.#publicUrl ? this.#publicUrl + callbackPath : '';
  }

  env(): ProviderEnv {
    return {
      callbackUrl: this.callbackUrl,
      endpoints: this.#endpoints,
      http: this.#limits,
      discovery: this.discovery,
      now: () => this.#clock.now(),
      clockSkewMs: this.#limits.clockSkewMs,
    };
  }
}
