import { Reader, type Response } from 'mmdb-lib';
import { countryOf, type Country } from './country.ts';
import { BoundedDecode, checkMetadataWork, DecodeTooLarge, type DecodeLimits } from './decode-bound.ts';

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
  readonly #decode: BoundedDecode;
  readonly bytes: number;
  readonly type: string;
  readonly builtAt: number;

  private constructor(reader: Reader<Response>, decode: BoundedDecode, bytes: number) {
    this.#reader = reader;
    this.#decode = decode;
    this.bytes = bytes;
    this.type = reader.metadata.databaseType;
    this.builtAt = reader.metadata.buildEpoch.getTime();
  }

  /** Opens a database; throws an Error saying why the bytes are not a usable country database. */
  static open(buf: Buffer, limits?: DecodeLimits): CountryDb {
    let reader: Reader<Response>;
    // Records are decoded through a bound on the work (a pointer may be followed any number of
    // times: a hostile file can make one record decode into billions of values).
    const decode = new BoundedDecode(limits);
    try {
      checkMetadataWork(buf, limits);
      reader = new Reader<Response>(buf, { cache: decode });
    } catch (err) {
      throw new InvalidCountryDb(`not a MaxMind DB file (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
    const db = new CountryDb(reader, decode, buf.length);
    let tooLarge: DecodeTooLarge | undefined;
    const found = probes.filter((ip) => {
      try {
        return db.#lookupOrThrow(ip) !== undefined;
      } catch (err) {
        // An IPv4-only file throws on an IPv6 probe; a broken tree throws anywhere.
        if (err instanceof DecodeTooLarge) tooLarge = err;
        return false;
      }
    });
    if (tooLarge) throw new InvalidCountryDb(tooLarge.message);
    if (found.length === 0) throw new InvalidCountryDb('the database holds no country for any well-known address');
    return db;
  }

  /** The country of a public address, or undefined when the database has none (or a record past the bound). */
  lookup(ip: string): Country | undefined {
    try {
      return this.#lookupOrThrow(ip);
    } catch (err) {
      if (err instanceof DecodeTooLarge) return undefined;
      throw err;
    }
  }

  #lookupOrThrow(ip: string): Country | undefined {
    // An IPv4-only file places no IPv6 address (mmdb-lib would throw).
    if (this.#reader.metadata.ipVersion === 4 && ip.includes(':')) return undefined;
    this.#decode.reset();
    let rec: MmdbRecord | null;
    try {
      // The two layouts share no type in mmdb-lib: read the fields as the unknowns they are.
      rec = this.#reader.get(ip) as MmdbRecord | null;
    } finally {
      this.#decode.reset(); // the decoded record is not kept
    }
    if (!rec) return undefined;
    return countryOf(rec.country_code) ?? countryOf(rec.country?.iso_code) ?? countryOf(rec.registered_country?.iso_code);
  }
}
