/**
 * Hand-made MaxMind DB files (the format of maxmind.github.io/MaxMind-DB), for hostile-input
 * tests: one IPv4 search-tree node whose two records (addresses below and from 128.0.0.0) point
 * into a data section written value by value, and a metadata map that may be replaced.
 */

/** An encoded value of the data section. */
export type Value = Buffer;

function ctrl(type: number, size: number): Buffer {
  if (size >= 29) throw new Error('sizes of 29 and more are not needed here');
  return type <= 7 ? Buffer.from([(type << 5) | size]) : Buffer.from([size, type - 7]);
}

export const str = (s: string): Value => Buffer.concat([ctrl(2, Buffer.byteLength(s)), Buffer.from(s)]);
export const u16 = (n: number): Value => Buffer.concat([ctrl(5, 2), Buffer.from([n >> 8, n & 0xff])]);
export const u32 = (n: number): Value => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return Buffer.concat([ctrl(6, 4), b]);
};
export const u64 = (n: number): Value => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return Buffer.concat([ctrl(9, 8), b]);
};
export const map = (entries: Record<string, Value>): Value =>
  Buffer.concat([ctrl(7, Object.keys(entries).length), ...Object.entries(entries).flatMap(([k, v]) => [str(k), v])]);
export const array = (items: Value[]): Value => Buffer.concat([ctrl(11, items.length), ...items]);
/** A pointer to `offset` of its section (data, or metadata for a metadata value), < 2048. */
export const pointer = (offset: number): Value => Buffer.from([0x20 | (offset >> 8), offset & 0xff]);

/**
 * A chain of `levels` arrays, each holding `fanout` pointers to the next, the last to a string,
 * written from `base` on: decoding it without sharing builds fanout^levels strings. Returns the
 * bytes and the offset of its first level.
 */
export function pointerBomb(base: number, levels: number, fanout: number): { bytes: Buffer; root: number } {
  const parts: Buffer[] = [str('x')];
  let at = base;
  let prev = base;
  at += parts[0]!.length;
  for (let l = 0; l < levels; l++) {
    const level = array(Array.from({ length: fanout }, () => pointer(prev)));
    parts.push(level);
    prev = at;
    at += level.length;
  }
  return { bytes: Buffer.concat(parts), root: prev };
}

export const countryRecord = (code: string): Value => map({ country_code: str(code) });

export function metadata(over: Record<string, Value> = {}): Value {
  return map({
    binary_format_major_version: u16(2),
    binary_format_minor_version: u16(0),
    build_epoch: u64(1_700_000_000),
    database_type: str('test-country'),
    ip_version: u16(4),
    languages: array([]),
    node_count: u32(1),
    record_size: u16(24),
    ...over,
  });
}

const marker = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');

/**
 * The file: `low` and `high` are the data-section offsets the two records point to (addresses
 * below 128.0.0.0 and from it), `data` the data section, `meta` the metadata map's bytes.
 */
export function mmdbFile(o: { low: number; high: number; data: Buffer; meta?: Buffer }): Buffer {
  const nodeCount = 1;
  const record = (dataOffset: number) => {
    const v = nodeCount + 16 + dataOffset;
    return [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  };
  const tree = Buffer.from([...record(o.low), ...record(o.high)]);
  return Buffer.concat([tree, Buffer.alloc(16), o.data, marker, o.meta ?? metadata()]);
}
