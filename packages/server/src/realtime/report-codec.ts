/**
 * The recent window's record format: one report's 19 numbers, each written as the difference
 * from the same field of the report before it in as few bytes as give it back exactly (a counter
 * that moved by 1, a total that did not move, a load of 0.24), then its message. A record is a
 * 10-byte header of 20 four-bit tags (19 numbers and one for the texts) and the bytes the tags
 * call for: ~55 bytes for an official agent's report against 152 as doubles.
 *
 * Every choice is checked by computing what the decoder will compute (`Object.is`), so a value
 * comes back bit for bit, -0 and fractions included; what fits nothing smaller is a double.
 */

/** at, cpu.usage, ram ×2, swap ×2, load ×3, disk ×2, network ×4, connections ×2, uptime, process */
export const width = 19;
export const headerBytes = 10;
/** a record's largest size before its message: the header and 19 doubles */
export const maxNumberBytes = headerBytes + width * 8;

const SAME = 0;
const I8 = 1;
const I16 = 2;
const I32 = 3;
/** hundredths: v = n / 100 (loads, percentages with two decimals) */
const C16 = 4;
const C32 = 5;
const F32 = 6;
const F64 = 7;
const tagBytes = [0, 1, 2, 4, 2, 4, 4, 8];

/**
 * the texts nibble: no message, the previous report's message, a new one (its length and UTF-8
 * bytes), or a new one that is not well-formed UTF-16 (a lone surrogate, which UTF-8 cannot carry:
 * its length and code units, so it too comes back as it came)
 */
const MESSAGE_EMPTY = 0;
const MESSAGE_SAME = 1;
const MESSAGE_NEW = 2;
const MESSAGE_UNITS = 3;
/** set when the report keeps extras (cpu details, GPU, method) beside the record */
const EXTRAS = 4;

const fitsInt = (d: number, bits: number) => d >= -(2 ** (bits - 1)) && d < 2 ** (bits - 1);

/** The smallest exact tag for `v` after `prev`. */
function tagOf(v: number, prev: number): number {
  if (Object.is(v, prev)) return SAME;
  const d = v - prev;
  if (Number.isInteger(d) && Object.is(prev + d, v)) {
    if (fitsInt(d, 8)) return I8;
    if (fitsInt(d, 16)) return I16;
    if (fitsInt(d, 32)) return I32;
  }
  const c = Math.round(v * 100);
  // (an integer cannot carry -0)
  const hundredths = Object.is(c / 100, v) && !Object.is(c, -0);
  if (hundredths && fitsInt(c, 16)) return C16;
  if (Object.is(Math.fround(v), v)) return F32;
  if (hundredths && fitsInt(c, 32)) return C32;
  return F64;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A record about to be written: its tags and size, computed once. */
export interface Planned {
  tags: Uint8Array;
  /** the message's UTF-8 length when it is written (MESSAGE_NEW), else 0 */
  textBytes: number;
  textTag: number;
  bytes: number;
}

/** Plans the record of `v` after the report in `prev` from index `p0`, with `message` after `prevMessage`. */
export function plan(v: Float64Array, prev: Float64Array, p0: number, message: string, prevMessage: string, extras: boolean, into: Planned): Planned {
  let bytes = headerBytes;
  for (let k = 0; k < width; k++) {
    const t = tagOf(v[k]!, prev[p0 + k]!);
    into.tags[k] = t;
    bytes += tagBytes[t]!;
  }
  into.textTag = message === '' ? MESSAGE_EMPTY : message === prevMessage ? MESSAGE_SAME : message.isWellFormed() ? MESSAGE_NEW : MESSAGE_UNITS;
  into.textBytes = into.textTag === MESSAGE_NEW ? Buffer.byteLength(message, 'utf8') : into.textTag === MESSAGE_UNITS ? 2 * message.length : 0;
  if (into.textTag >= MESSAGE_NEW) bytes += varintBytes(into.textBytes) + into.textBytes;
  if (extras) into.textTag |= EXTRAS;
  into.bytes = bytes;
  return into;
}

const varintBytes = (n: number) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);

/** Writes a planned record at `off` (room for `p.bytes` is the caller's). */
export function write(buf: Uint8Array, view: DataView, off: number, p: Planned, v: Float64Array, prev: Float64Array, p0: number, message: string): void {
  // nibble k is field k's tag; nibble 19, the last, is the texts'
  for (let k = 0; k < headerBytes; k++) buf[off + k] = p.tags[2 * k]! | ((p.tags[2 * k + 1] ?? p.textTag) << 4);
  let at = off + headerBytes;
  for (let k = 0; k < width; k++) {
    const x = v[k]!;
    switch (p.tags[k]) {
      case I8: view.setInt8(at, x - prev[p0 + k]!); break;
      case I16: view.setInt16(at, x - prev[p0 + k]!, true); break;
      case I32: view.setInt32(at, x - prev[p0 + k]!, true); break;
      case C16: view.setInt16(at, Math.round(x * 100), true); break;
      case C32: view.setInt32(at, Math.round(x * 100), true); break;
      case F32: view.setFloat32(at, x, true); break;
      case F64: view.setFloat64(at, x, true); break;
    }
    at += tagBytes[p.tags[k]!]!;
  }
  const textTag = p.textTag & 3;
  if (textTag < MESSAGE_NEW) return;
  let n = p.textBytes;
  for (; n >= 0x80; n >>>= 7) buf[at++] = (n & 0x7f) | 0x80;
  buf[at++] = n;
  if (textTag === MESSAGE_NEW) encoder.encodeInto(message, buf.subarray(at, at + p.textBytes));
  else Buffer.from(buf.buffer, buf.byteOffset, buf.length).write(message, at, 'utf16le');
}

/**
 * Reads records one after another, each applied onto the numbers and message of the one before:
 * `values` and `message` are the report just read, `extras` whether it keeps extras.
 */
export class RecordReader {
  readonly values = new Float64Array(width);
  message = '';
  extras = false;
  /** where the last record's new message lies when step() was told not to read it: [at, at + bytes), its tag */
  textAt = 0;
  textBytes = 0;
  textTag = MESSAGE_EMPTY;

  /** starts from the report before a record (the window's base: `values` from index `v0`) */
  reset(values: Float64Array, v0: number, message: string): void {
    for (let k = 0; k < width; k++) this.values[k] = values[v0 + k]!;
    this.message = message;
  }

  /**
   * Applies the record at `off`; returns the offset after it. With `readText` false a new message
   * is not decoded (`message` is then '' and text() reads it): a record being dropped needs its
   * message only when the next one refers to it.
   */
  step(buf: Uint8Array, view: DataView, off: number, readText = true): number {
    let at = off + headerBytes;
    const values = this.values;
    for (let k = 0; k < width; k++) {
      const t = (buf[off + (k >> 1)]! >> ((k & 1) * 4)) & 15;
      switch (t) {
        case I8: values[k] = values[k]! + view.getInt8(at); break;
        case I16: values[k] = values[k]! + view.getInt16(at, true); break;
        case I32: values[k] = values[k]! + view.getInt32(at, true); break;
        case C16: values[k] = view.getInt16(at, true) / 100; break;
        case C32: values[k] = view.getInt32(at, true) / 100; break;
        case F32: values[k] = view.getFloat32(at, true); break;
        case F64: values[k] = view.getFloat64(at, true); break;
      }
      at += tagBytes[t]!;
    }
    const textTag = buf[off + headerBytes - 1]! >> 4;
    this.extras = (textTag & EXTRAS) !== 0;
    const m = (this.textTag = textTag & 3);
    if (m === MESSAGE_EMPTY) this.message = '';
    else if (m !== MESSAGE_SAME) {
      let n = 0;
      for (let shift = 0; ; shift += 7) {
        const b = buf[at++]!;
        n += (b & 0x7f) * 2 ** shift;
        if (b < 0x80) break;
      }
      [this.textAt, this.textBytes] = [at, n];
      this.message = readText ? this.text(buf) : '';
      at += n;
    }
    return at;
  }

  /** the new message of the record step() read last */
  text(buf: Uint8Array): string {
    const [at, n] = [this.textAt, this.textBytes];
    return this.textTag === MESSAGE_NEW ? decoder.decode(buf.subarray(at, at + n)) : Buffer.from(buf.buffer, buf.byteOffset + at, n).toString('utf16le');
  }
}

/** Whether the record at `off` has the same message as the one before it. */
export const repeatsMessage = (buf: Uint8Array, off: number): boolean => ((buf[off + headerBytes - 1]! >> 4) & 3) === MESSAGE_SAME;

/** The receive time (field 0) of the record at `off`, after a report received at `prevAt`, read alone. */
export function atOf(buf: Uint8Array, view: DataView, off: number, prevAt: number): number {
  const at = off + headerBytes;
  switch (buf[off]! & 15) {
    case I8: return prevAt + view.getInt8(at);
    case I16: return prevAt + view.getInt16(at, true);
    case I32: return prevAt + view.getInt32(at, true);
    case C16: return view.getInt16(at, true) / 100;
    case C32: return view.getInt32(at, true) / 100;
    case F32: return view.getFloat32(at, true);
    case F64: return view.getFloat64(at, true);
    default: return prevAt;
  }
}
