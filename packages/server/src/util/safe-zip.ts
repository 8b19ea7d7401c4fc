import { Transform } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/**
 * The zip reading shared by restores (backup/unpack.ts) and theme installs
 * (themes/install/theme-zip.ts): entries read one at a time from the central directory, never
 * the whole archive in memory, every inflated byte counted by the caller. What each refuses and
 * in which words stays with the caller.
 */

export interface OpenZipOptions {
  /**
   * true: yauzl refuses the archive at the first absolute, `..` or backslash name (a restore).
   * false: names are handed over as they are, for the caller to skip (a theme install, as Komari).
   */
  strictNames: boolean;
}

/** Opens an archive lazily; `refusal` turns yauzl's reason into the caller's error. */
export function openZip(path: string, opts: OpenZipOptions, refusal: (err: Error) => Error): Promise<ZipFile> {
  return new Promise((done, fail) => {
    const options = opts.strictNames
      ? { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true }
      : // Sizes are counted by the caller against its own limits, so a header that lies gets the
        // caller's message, not yauzl's; names are decoded by `entryName`.
        { lazyEntries: true, autoClose: false, validateEntrySizes: false, decodeStrings: false };
    yauzl.open(path, options, (err, zip) => {
      if (err || !zip) fail(refusal(err ?? new Error('unreadable archive')));
      else done(zip);
    });
  });
}

/** An entry's name; for archives opened without strict names, with `\` read as `/` (yauzl's default). */
export function entryName(e: Entry): string {
  const raw = e.fileName as unknown;
  if (typeof raw === 'string') return raw;
  return yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, raw as Buffer, e.extraFields, false);
}

/** Each entry of the central directory, in order; `mapError` words yauzl's own failures. */
export async function eachEntry(zip: ZipFile, fn: (e: Entry) => Promise<void> | void, mapError: (err: Error) => Error): Promise<void> {
  await new Promise<void>((done, fail) => {
    zip.on('entry', (e: Entry) => {
      Promise.resolve()
        .then(() => fn(e))
        .then(() => zip.readEntry(), fail);
    });
    zip.on('end', () => done());
    zip.on('error', (err: Error) => fail(mapError(err)));
    zip.readEntry();
  });
}

/** The unix file type bits say symbolic link. */
export function isSymlink(e: Entry): boolean {
  return ((e.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
}

/** The unix permission bits, or 0 when the archive was made without them. */
export function unixMode(e: Entry): number {
  return (e.externalFileAttributes >>> 16) & 0o777;
}

/** The inflated bytes of one entry. */
export function openEntry(zip: ZipFile, e: Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((done, fail) => {
    zip.openReadStream(e, (err, s) => (err || !s ? fail(err ?? new Error('unreadable entry')) : done(s)));
  });
}

/**
 * A stream that hands each chunk's length to `count` before passing it on; a returned error
 * stops the stream there, so a bound is enforced on the bytes actually produced, whatever the
 * headers said.
 */
export function byteCounter(count: (bytes: number) => Error | undefined): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, next) {
      const err = count(chunk.length);
      if (err) next(err);
      else next(null, chunk);
    },
  });
}

/**
 * Names that would land on the same path, or a file where another entry needs a folder: the
 * first such name, or undefined. Sorted with `/` as the lowest character, an entry's children
 * follow it directly.
 */
export function firstCollision(names: string[]): { name: string; kind: 'duplicate' | 'fileAndFolder' } | undefined {
  const items = names.map((n) => ({ name: n.replace(/\/$/, ''), dir: n.endsWith('/'), key: n.replace(/\/$/, '').replaceAll('/', '\0') }));
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (let i = 0; i + 1 < items.length; i++) {
    const [a, b] = [items[i]!, items[i + 1]!];
    if (a.key === b.key && !(a.dir && b.dir)) return { name: a.name, kind: a.dir === b.dir ? 'duplicate' : 'fileAndFolder' };
    if (!a.dir && b.key.startsWith(`${a.key}\0`)) return { name: a.name, kind: 'fileAndFolder' };
  }
  return undefined;
}
