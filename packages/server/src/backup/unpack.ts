import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../errors.ts';
import { markerName } from './archive-name.ts';

export interface UnpackLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
}

/** Komari's words for a backup that is refused (admin-api.md §11.2); the rest in the same form. */
export const refusals = {
  notZip: 'invalid backup file: zip: not a valid zip file',
  noMarker: `invalid backup file: missing ${markerName} file`,
  tooManyEntries: (max: number) => `invalid backup file: more than ${max} entries`,
  tooLarge: (max: number) => `invalid backup file: uncompressed size exceeds ${max} bytes`,
  unsafePath: (detail: string) => `invalid backup file: unsafe entry path (${detail})`,
  symlink: (name: string) => `invalid backup file: symbolic link entry ${name}`,
  encrypted: (name: string) => `invalid backup file: encrypted entry ${name}`,
} as const;

/** What komari-ts takes out of an archive: the databases, the favicon, the font, the themes. */
export function isExtracted(name: string): boolean {
  return ['komari.db', 'metrics.db', 'favicon.ico', 'font.ttf'].includes(name) || name.startsWith('theme/');
}

const refuse = (message: string) => AppError.invalidParams(message);

function openZip(path: string): Promise<ZipFile> {
  return new Promise((done, fail) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true }, (err, zip) => {
      if (err || !zip) fail(refuse(refusals.notZip));
      else done(zip);
    });
  });
}

/** Each entry of the central directory, in order; yauzl's own refusals become Komari-style ones. */
async function eachEntry(zip: ZipFile, fn: (e: Entry) => Promise<void> | void): Promise<void> {
  await new Promise<void>((done, fail) => {
    zip.on('entry', (e: Entry) => {
      Promise.resolve()
        .then(() => fn(e))
        .then(() => zip.readEntry(), fail);
    });
    zip.on('end', () => done());
    zip.on('error', (err: Error) => {
      if (/fileName|path/.test(err.message)) fail(refuse(refusals.unsafePath(err.message)));
      else fail(err instanceof AppError ? err : refuse(`invalid backup file: ${err.message}`));
    });
    zip.readEntry();
  });
}

function isSymlink(e: Entry): boolean {
  return ((e.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
}

/**
 * First pass, over the central directory only: every name safe, no symbolic link, no encrypted
 * entry, at most `maxEntries`, the declared sizes within the bound, the marker present. Nothing
 * is written.
 */
async function inspect(path: string, limits: UnpackLimits): Promise<void> {
  const zip = await openZip(path);
  try {
    if (zip.entryCount > limits.maxEntries) throw refuse(refusals.tooManyEntries(limits.maxEntries));
    let declared = 0;
    let marker = false;
    await eachEntry(zip, (e) => {
      if (e.fileName.includes('\0')) throw refuse(refusals.unsafePath(JSON.stringify(e.fileName)));
      if (isSymlink(e)) throw refuse(refusals.symlink(e.fileName));
      if (e.isEncrypted()) throw refuse(refusals.encrypted(e.fileName));
      declared += e.uncompressedSize;
      if (declared > limits.maxUncompressedBytes) throw refuse(refusals.tooLarge(limits.maxUncompressedBytes));
      if (e.fileName === markerName) marker = true;
    });
    if (!marker) throw refuse(refusals.noMarker);
  } finally {
    zip.close();
  }
}

/** A stream that counts what passes and fails once the running total of the archive passes `max`. */
function counter(total: { bytes: number }, max: number): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, next) {
      total.bytes += chunk.length;
      if (total.bytes > max) next(refuse(refusals.tooLarge(max)));
      else next(null, chunk);
    },
  });
}

/** Second pass: the entries komari-ts uses, written under `staging`, every byte counted. */
async function extract(path: string, staging: string, limits: UnpackLimits): Promise<void> {
  const zip = await openZip(path);
  const root = resolve(staging);
  const total = { bytes: 0 };
  try {
    await eachEntry(zip, async (e) => {
      if (!isExtracted(e.fileName)) return;
      const target = resolve(root, e.fileName);
      if (!target.startsWith(root + sep)) throw refuse(refusals.unsafePath(e.fileName));
      if (e.fileName.endsWith('/')) return void mkdirSync(target, { recursive: true });
      mkdirSync(dirname(target), { recursive: true });
      const stream = await new Promise<NodeJS.ReadableStream>((done, fail) => {
        zip.openReadStream(e, (err, s) => (err || !s ? fail(refuse(`invalid backup file: ${err?.message ?? 'unreadable entry'}`)) : done(s)));
      });
      try {
        await pipeline(stream, counter(total, limits.maxUncompressedBytes), createWriteStream(target, { mode: 0o600 }));
      } catch (err) {
        throw err instanceof AppError ? err : refuse(`invalid backup file: ${(err as Error).message}`);
      }
    });
  } finally {
    zip.close();
  }
}

/**
 * Checks a backup archive and unpacks what komari-ts restores into `staging` (which must be
 * empty and inside the data folder). Throws `AppError` (400) with the reason on the first problem;
 * the caller removes `staging`.
 */
export async function unpackBackup(path: string, staging: string, limits: UnpackLimits): Promise<void> {
  await inspect(path, limits);
  mkdirSync(staging, { recursive: true });
  await extract(path, staging, limits);
}

/** Where the staged database is, once unpacked. */
export const stagedDb = (staging: string) => join(staging, 'komari.db');
