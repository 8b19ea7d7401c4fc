import { Reader, type Response } from 'mmdb-lib';
import { countryOf, type Country } from './country.ts';

/** Addresses any country database covers; a file that places none of them holds no countries. */
const probes = ['8.8.8.8', '1.1.1.1', '9.9.9.9', '223.5.5.5', '2001:4860:4860::8888'];

/** A file that cannot serve as the country database (the upload's fault, not the server's). */
export class InvalidCountryDb extends Error {}

type MmdbRecord = { country_code?: unknown; country?: { iso_code?: unknown }; registered_country?: { iso_code?: unknown } };

/**
 * One opened MaxMind-format database, held in memory: lookups read the buffer, nothing touches
 * the disk or the network. Reads ip-location-db's `country_code` and MaxMind's
 * `country.iso_code` (GeoLite2-Country or -City), falling back to the registered country.
 */
export class CountryDb {
  readonly #reader: Reader<Response>;
  readonly bytes: number;
  readonly type: string;
  readonly builtAt: number;

  private constructor(reader: Reader<Response>, bytes: number) {
    this.#reader = reader;
    this.bytes = bytes;
    this.type = reader.metadata.databaseType;
    this.builtAt = reader.metadata.buildEpoch.getTime();
  }

  /** Opens a database; throws an Error saying why the bytes are not a usable country database. */
  static open(buf: Buffer): CountryDb {
    let reader: Reader<Response>;
    try {
      reader = new Reader<Response>(buf);
    } catch (err) {
      throw new InvalidCountryDb(`not a MaxMind DB file (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
    const db = new CountryDb(reader, buf.length);
    if (!probes.some((ip) => db.#safeLookup(ip))) throw new InvalidCountryDb('the database holds no country for any well-known address');
    return db;
  }

  /** The country of a public address, or undefined when the database has none. */
  lookup(ip: string): Country | undefined {
    // An IPv4-only file places no IPv6 address (mmdb-lib would throw).
    if (this.#reader.metadata.ipVersion === 4 && ip.includes(':')) return undefined;
    // The two layouts share no type in mmdb-lib: read the fields as the unknowns they are.
    const rec = this.#reader.get(ip) as MmdbRecord | null;
    if (!rec) return undefined;
    return countryOf(rec.country_code) ?? countryOf(rec.country?.iso_code) ?? countryOf(rec.registered_country?.iso_code);
  }

  #safeLookup(ip: string): Country | undefined {
    try {
      return this.lookup(ip);
    } catch {
      // An IPv4-only file throws on an IPv6 probe; a broken tree throws anywhere.
      return undefined;
    }
  }
}
