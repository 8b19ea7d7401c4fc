import { createRequire } from 'node:module';
import { defaultServerLimits, type ServerLimits } from '../config/limits.ts';

/** How much decoding one record (or the metadata) of a database may take. */
export type DecodeLimits = Pick<ServerLimits['geoip'], 'maxRecordPointers' | 'maxRecordBytes'>;

/** A record whose decoding would take more than the bound: the file is hostile or broken. */
export class DecodeTooLarge extends Error {}

interface Cursor {
  offset: number;
}

/** mmdb-lib's `Cache` (its lib/types.d.ts, not exported by path). */
interface Cache {
  get(key: string | number): unknown;
  set(key: string | number, value: Cursor): void;
}

/**
 * mmdb-lib's decoder asks its cache before following every pointer and fills it after decoding
 * what a pointer points to; it caches nothing by default, so a record whose arrays point many
 * times to arrays that point many times… decodes into exponentially many values (a 600-byte file
 * hung the server). Used as that cache, this counts the pointers followed and the bytes decoded
 * behind them, throwing `DecodeTooLarge` past the bound, and (`share`) hands out one decoded
 * value per pointer target until `reset`, so a record is decoded in time linear in its bytes.
 */
export class BoundedDecode implements Cache {
  readonly #limits: DecodeLimits;
  readonly #share: boolean;
  readonly #seen = new Map<string | number, Cursor>();
  #pointers = 0;
  #bytes = 0;

  constructor(limits: DecodeLimits = defaultServerLimits.geoip, share = true) {
    this.#limits = limits;
    this.#share = share;
  }

  /** Starts counting again, forgetting what was decoded (called around each lookup). */
  reset(): void {
    this.#seen.clear();
    this.#pointers = 0;
    this.#bytes = 0;
  }

  get(key: string | number): Cursor | undefined {
    if (++this.#pointers > this.#limits.maxRecordPointers) {
      throw new DecodeTooLarge(`a record follows more than ${this.#limits.maxRecordPointers} pointers`);
    }
    return this.#share ? this.#seen.get(key) : undefined;
  }

  set(key: string | number, value: Cursor): void {
    this.#bytes += Math.max(0, value.offset - Number(key));
    if (this.#bytes > this.#limits.maxRecordBytes) throw new DecodeTooLarge(`a record decodes more than ${this.#limits.maxRecordBytes} bytes`);
    if (this.#share) this.#seen.set(key, value);
  }
}

const metadataMarker = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');
type DecoderClass = new (db: Buffer, baseOffset: number, cache: Cache) => { decode(offset: number): unknown };
const Decoder = (createRequire(import.meta.url)('mmdb-lib/lib/decoder.js') as { default: DecoderClass }).default;

/**
 * mmdb-lib decodes the metadata in its constructor with no cache (so none of ours): the same
 * decoding is done here first under the bound, as mmdb-lib will do it (nothing shared). Throws
 * `DecodeTooLarge`; any other fault is left for mmdb-lib to report in its own words.
 */
export function checkMetadataWork(buf: Buffer, limits: DecodeLimits = defaultServerLimits.geoip): void {
  const at = buf.lastIndexOf(metadataMarker);
  if (at < 0) return;
  const start = at + metadataMarker.length;
  try {
    new Decoder(buf, start, new BoundedDecode(limits, false)).decode(start);
  } catch (err) {
    if (err instanceof DecodeTooLarge) throw err;
  }
}
