import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors.ts';
import { byteCounter, eachEntry, firstCollision, isSymlink, openEntry, openZip } from '../util/safe-zip.ts';
import { markerName } from './archive-name.ts';

export interface UnpackLimits {
  maxEntries: number;
  maxUncompressedBytes: number;
  maxEntryNameBytes: number;
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
  longName: (max: number) => `invalid backup file: an entry name is longer than ${max} bytes`,
  duplicate: (name: string) => `invalid backup file: entry ${name} appears twice`,
  fileAndFolder: (name: string) => `invalid backup file: entry ${name} is both a file and a folder`,
  unwritable: (name: string) => `invalid backup file: entry ${name} could not be extracted`,
} as const;

/** What komari-ts takes out of an archive: the databases, the favicon, the font, the themes. */
export function isExtracted(name: string): boolean {
  return ['komari.db', 'metrics.db', 'favicon.ico', 'font.ttf'].includes(name) || name.startsWith('theme/');
}

const refuse = (message: string) => AppError.invalidParams(message);

const openBackup = (path: string) => openZip(path, { strictNames: true }, () => refuse(refusals.notZip));

/** yauzl's own refusals become Komari-style ones. */
function mapZipError(err: Error): Error {
  if (/fileName|path/.test(err.message)) return refuse(refusals.unsafePath(err.message));
  return err instanceof AppError ? err : refuse(`invalid backup file: ${err.message}`);
}

/**
 * First pass, over the central directory only: every name safe, no symbolic link, no encrypted
 * entry, at most `maxEntries`, the declared sizes within the bound, the marker present. Nothing
 * is written.
 */
async function inspect(path: string, limits: UnpackLimits): Promise<void> {
  const zip = await openBackup(path);
  try {
    if (zip.entryCount > limits.maxEntries) throw refuse(refusals.tooManyEntries(limits.maxEntries));
    let declared = 0;
    let marker = false;
    const extracted: string[] = [];
    await eachEntry(zip, (e) => {
      if (Buffer.byteLength(e.fileName) > limits.maxEntryNameBytes) throw refuse(refusals.longName(limits.maxEntryNameBytes));
      if (e.fileName.includes('\0')) throw refuse(refusals.unsafePath(JSON.stringify(e.fileName)));
      if (isExtracted(e.fileName)) extracted.push(e.fileName);
      if (isSymlink(e)) throw refuse(refusals.symlink(e.fileName));
      if (e.isEncrypted()) throw refuse(refusals.encrypted(e.fileName));
      declared += e.uncompressedSize;
      if (declared > limits.maxUncompressedBytes) throw refuse(refusals.tooLarge(limits.maxUncompressedBytes));
      if (e.fileName === markerName) marker = true;
    }, mapZipError);
    if (!marker) throw refuse(refusals.noMarker);
    checkCollisions(extracted);
  } finally {
    zip.close();
  }
}

/**
 * Entries written to the same place are ambiguous (which one is restored depends on the reader)
 * and a file where another entry needs a folder cannot be extracted: both refused before anything
 * is written.
 */
function checkCollisions(names: string[]): void {
  const hit = firstCollision(names);
  if (hit) throw refuse(hit.kind === 'duplicate' ? refusals.duplicate(hit.name) : refusals.fileAndFolder(hit.name));
}

/** Counts what passes and fails once the running total of the archive passes `max`. */
function counter(total: { bytes: number }, max: number) {
  return byteCounter((n) => {
    total.bytes += n;
    return total.bytes > max ? refuse(refusals.tooLarge(max)) : undefined;
  });
}

/** Second pass: the entries komari-ts uses, written under `staging`, every byte counted. */
async function extract(path: string, staging: string, limits: UnpackLimits): Promise<void> {
  const zip = await openBackup(path);
  const root = resolve(staging);
  const total = { bytes: 0 };
  try {
    await eachEntry(zip, async (e) => {
      if (!isExtracted(e.fileName)) return;
      const target = resolve(root, e.fileName);
      if (!target.startsWith(root + sep)) throw refuse(refusals.unsafePath(e.fileName));
      try {
        if (e.fileName.endsWith('/')) return void mkdirSync(target, { recursive: true });
        mkdirSync(dirname(target), { recursive: true });
      } catch {
        throw refuse(refusals.unwritable(e.fileName)); // the reason names the server's paths
      }
      const stream = await openEntry(zip, e).catch((err: Error) => {
        throw refuse(`invalid backup file: ${err.message}`);
      });
      try {
        await pipeline(stream, counter(total, limits.maxUncompressedBytes), createWriteStream(target, { mode: 0o600 }));
      } catch (err) {
        if (err instanceof AppError) throw err;
        // A file-system reason names the server's paths; the archive's own faults are yauzl's words.
        throw refuse((err as NodeJS.ErrnoException).syscall ? refusals.unwritable(e.fileName) : `invalid backup file: ${(err as Error).message}`);
      }
    }, mapZipError);
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
