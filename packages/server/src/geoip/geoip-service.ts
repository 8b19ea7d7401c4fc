import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { SettingsService } from '../services/settings-service.ts';
import { checkAddress } from './address.ts';
import { CountryDb } from './country-db.ts';
import type { DecodeLimits } from './decode-bound.ts';
import { flagOf, type Country } from './country.ts';

/** The country database shipped with the server (npm `@ip-location-db/geo-whois-asn-country-mmdb`, CC0). */
export const bundledDbPath = createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');

/**
 * Komari's providers (admin-api.md §3.3) ask a web service or read a MaxMind file; komari-ts has
 * no network lookups, so every one of them is answered from the offline database. Any other
 * value (`empty`, …) turns GeoIP off, as in Komari.
 */
const offlineProviders = new Set(['ipinfo', 'ip-api', 'geojs', 'mmdb']);

export type LookupResult = { ok: true; country: Country } | { ok: false; reason: 'invalid' | 'reserved' | 'unknown' };

export interface GeoIpDeps {
  settings: SettingsService;
  /** the data folder; an uploaded database lives in its `geoip/` */
  dataDir: string;
  /** the database used when none was uploaded (tests point it elsewhere) */
  bundledPath?: string;
  /** the work one lookup may take (limits.geoip) */
  limits?: DecodeLimits;
}

/**
 * Country lookups from an offline database held in memory once (opened at the first lookup):
 * the uploaded one in `data/geoip/country.mmdb` when there is one, else the bundled one.
 * Replacing it validates the new file by opening it before anything on disk changes.
 */
export class GeoIpService {
  readonly #deps: GeoIpDeps;
  #db: Promise<CountryDb> | undefined;
  #swap: Promise<unknown> = Promise.resolve();

  constructor(deps: GeoIpDeps) {
    this.#deps = deps;
  }

  get uploadedPath(): string {
    return join(this.#deps.dataDir, 'geoip', 'country.mmdb');
  }

  /** `geo_ip_enabled` and a provider komari-ts answers. */
  get enabled(): boolean {
    const s = this.#deps.settings;
    return s.get('geo_ip_enabled') && offlineProviders.has(s.get('geo_ip_provider'));
  }

  async lookup(raw: string): Promise<LookupResult> {
    const addr = checkAddress(raw);
    if (!addr.ok) return addr;
    const country = (await this.#open()).lookup(addr.ip);
    return country ? { ok: true, country } : { ok: false, reason: 'unknown' };
  }

  /** Komari's basic-info rule: the flag of the first of ipv4, ipv6 with a country; undefined when off or none. */
  async regionOf(addresses: readonly (string | undefined)[]): Promise<string | undefined> {
    if (!this.enabled) return undefined;
    for (const ip of addresses) {
      if (!ip) continue;
      const r = await this.lookup(ip);
      if (r.ok) return flagOf(r.country.ISOCode);
    }
    return undefined;
  }

  /** The country name for a login notice, `unknown` when off or not found (auth.md §4.4). */
  async describe(ip: string): Promise<string> {
    if (!this.enabled) return 'unknown';
    const r = await this.lookup(ip).catch(() => undefined);
    return r?.ok ? r.country.Name : 'unknown';
  }

  /**
   * Installs an uploaded database (validated first; a bad file changes nothing), or with no bytes
   * goes back to the bundled one. Replacements run one at a time.
   */
  replace(bytes: Buffer): Promise<CountryDb> {
    const next = this.#swap.then(() => this.#replaceNow(bytes));
    this.#swap = next.catch(() => undefined);
    return next;
  }

  async #replaceNow(bytes: Buffer): Promise<CountryDb> {
    if (bytes.length === 0) {
      await rm(this.uploadedPath, { force: true });
      const db = CountryDb.open(await readFile(this.#deps.bundledPath ?? bundledDbPath), this.#deps.limits);
      this.#db = Promise.resolve(db);
      return db;
    }
    const db = CountryDb.open(bytes, this.#deps.limits);
    await mkdir(join(this.#deps.dataDir, 'geoip'), { recursive: true });
    // Written beside and renamed: a crash mid-write never leaves a torn database to open at start.
    const tmp = `${this.uploadedPath}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, bytes);
      await rename(tmp, this.uploadedPath);
    } finally {
      await rm(tmp, { force: true });
    }
    this.#db = Promise.resolve(db);
    return db;
  }

  #open(): Promise<CountryDb> {
    if (this.#db) return this.#db;
    const opening = this.#load();
    this.#db = opening;
    // A failed open is not kept: the next lookup tries again.
    opening.catch(() => {
      if (this.#db === opening) this.#db = undefined;
    });
    return opening;
  }

  async #load(): Promise<CountryDb> {
    try {
      return CountryDb.open(await readFile(this.uploadedPath), this.#deps.limits);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return CountryDb.open(await readFile(this.#deps.bundledPath ?? bundledDbPath), this.#deps.limits);
  }
}
