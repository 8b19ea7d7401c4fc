import type { Clock } from '../clock.ts';
import { asObject, fetchJson, type ProviderHttpLimits } from './provider-http.ts';

/** The parts of an OpenID Provider's discovery document this server uses. */
export interface DiscoveryDocument {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  token_endpoint_auth_methods_supported?: string[];
}

export type Jwk = Record<string, unknown>;

export interface DiscoveryLimits extends ProviderHttpLimits {
  discoveryTtlMs: number;
  maxCachedIssuers: number;
}

interface Cached {
  doc: DiscoveryDocument;
  fetchedAt: number;
  keys?: Jwk[];
}

function urlField(o: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const v = o[name];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || !/^https?:\/\//i.test(v)) throw new Error(`the discovery document has no valid ${name}`);
  return v;
}

function parseDocument(value: unknown, issuer: string): DiscoveryDocument {
  const o = asObject(value, 'the discovery document');
  // OpenID Connect Discovery §4.3: the document must name exactly the issuer it was fetched for.
  if (o.issuer !== issuer) throw new Error(`the discovery document names issuer ${JSON.stringify(o.issuer)}, not ${JSON.stringify(issuer)}`);
  const methods = o.token_endpoint_auth_methods_supported;
  return {
    issuer,
    authorization_endpoint: urlField(o, 'authorization_endpoint', true)!,
    token_endpoint: urlField(o, 'token_endpoint', true)!,
    jwks_uri: urlField(o, 'jwks_uri', true)!,
    userinfo_endpoint: urlField(o, 'userinfo_endpoint', false),
    token_endpoint_auth_methods_supported: Array.isArray(methods) ? methods.filter((m): m is string => typeof m === 'string') : undefined,
  };
}

/**
 * Discovery documents and key sets per issuer, cached for `discoveryTtlMs`, at most
 * `maxCachedIssuers` of them (only one provider is active, so this stays tiny).
 */
export class OidcDiscovery {
  readonly #cache = new Map<string, Cached>();
  readonly #clock: Clock;
  readonly #limits: DiscoveryLimits;

  constructor(clock: Clock, limits: DiscoveryLimits) {
    this.#clock = clock;
    this.#limits = limits;
  }

  async #entry(issuer: string): Promise<Cached> {
    const hit = this.#cache.get(issuer);
    if (hit && this.#clock.now() - hit.fetchedAt < this.#limits.discoveryTtlMs) return hit;
    const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const entry: Cached = { doc: parseDocument(await fetchJson(url, {}, this.#limits), issuer), fetchedAt: this.#clock.now() };
    this.#cache.delete(issuer);
    while (this.#cache.size >= this.#limits.maxCachedIssuers) {
      const oldest = this.#cache.keys().next().value;
      if (oldest === undefined) break;
      this.#cache.delete(oldest);
    }
    this.#cache.set(issuer, entry);
    return entry;
  }

  async document(issuer: string): Promise<DiscoveryDocument> {
    return (await this.#entry(issuer)).doc;
  }

  /** The issuer's signing keys; `refresh` re-reads them (a token signed with a key not seen yet). */
  async keys(issuer: string, refresh = false): Promise<Jwk[]> {
    const entry = await this.#entry(issuer);
    if (entry.keys && !refresh) return entry.keys;
    const set = asObject(await fetchJson(entry.doc.jwks_uri, {}, this.#limits), 'the key set');
    if (!Array.isArray(set.keys)) throw new Error('the key set has no keys');
    entry.keys = set.keys.filter((k): k is Jwk => k !== null && typeof k === 'object' && !Array.isArray(k));
    return entry.keys;
  }

  /** Drops what is cached for an issuer (its provider configuration changed). */
  forget(issuer?: string): void {
    if (issuer === undefined) this.#cache.clear();
    else this.#cache.delete(issuer);
  }
}
