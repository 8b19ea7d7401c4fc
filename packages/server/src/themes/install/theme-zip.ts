import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Entry, ZipFile } from 'yauzl';
import type { ThemeManifest } from '@komari-ts/protocol';
import type { ServerLimits } from '../../config/limits.ts';
import { AppError } from '../../errors.ts';
import { byteCounter, eachEntry, entryName, firstCollision, isSymlink, openEntry, openZip, unixMode } from '../../util/safe-zip.ts';
import { manifestRefusals, parseManifest } from './manifest.ts';

export type ThemeZipLimits = ServerLimits['themes'];

const manifestName = 'komari-theme.json';

/** Komari's words for a package it refuses (themes.md §2); the ones Komari lacks in the same form. */
export const packageRefusals = {
  notZip: (err: string) => `无法打开ZIP文件: ${err}`,
  tooManyEntries: (max: number) => `主题压缩包文件数量超过 ${max} 个限制`,
  fileTooLarge: (name: string, max: number) => `主题文件 ${name} 超过 ${max} 字节限制`,
  totalTooLarge: (max: number) => `主题解压后总大小超过 ${max} 字节限制`,
  unreadable: (err: string) => `打开压缩文件失败: ${err}`,
  extractFailed: (name: string) => `解压文件失败: ${name}`,
  longName: (max: number) => `主题压缩包中的文件名超过 ${max} 字节限制`,
  duplicate: (name: string) => `主题压缩包中的文件 ${name} 重复出现`,
  fileAndFolder: (name: string) => `主题压缩包中的 ${name} 既是文件又是目录`,
} as const;

const refuse = (message: string) => AppError.invalidParams(message);

/** An entry that is written: its name inside the theme folder, and whether it is a folder. */
interface Kept {
  entry: Entry;
  name: string;
  dir: boolean;
}

/**
 * Entries Komari would write outside the theme folder are skipped without a word (themes.md §1
 * step 3), and so are absolute names and symbolic links: komari-ts never creates a link, so
 * nothing extracted can point elsewhere.
 */
function keptName(name: string): string | undefined {
  if (name.includes('\0') || isAbsolute(name) || /^[A-Za-z]:/.test(name)) return undefined;
  const root = resolve('/t');
  const target = resolve(root, name);
  if (!target.startsWith(root + sep)) return undefined;
  return target.slice(root.length + 1) + (name.endsWith('/') ? '/' : '');
}

function mapZipError(err: Error): Error {
  return err instanceof AppError ? err : refuse(packageRefusals.unreadable(err.message));
}

/**
 * First pass, over the central directory only: the entry count, the declared sizes (Komari's
 * check before extraction), names that collide; nothing is written.
 */
async function inspect(zip: ZipFile, limits: ThemeZipLimits): Promise<Kept[]> {
  if (zip.entryCount > limits.maxEntries) throw refuse(packageRefusals.tooManyEntries(limits.maxEntries));
  const kept: Kept[] = [];
  let declared = 0;
  await eachEntry(
    zip,
    (e) => {
      if (e.fileNameLength > limits.maxEntryNameBytes) throw refuse(packageRefusals.longName(limits.maxEntryNameBytes));
      const raw = entryName(e);
      const dir = raw.endsWith('/');
      if (!dir) {
        if (e.uncompressedSize > limits.maxFileBytes) throw refuse(packageRefusals.fileTooLarge(raw, limits.maxFileBytes));
        declared += e.uncompressedSize;
        if (declared > limits.maxTotalBytes) throw refuse(packageRefusals.totalTooLarge(limits.maxTotalBytes));
      }
      const name = keptName(raw);
      if (name === undefined || isSymlink(e)) return;
      kept.push({ entry: e, name: name.replace(/\/$/, ''), dir });
    },
    mapZipError,
  );
  const hit = firstCollision(kept.map((k) => (k.dir ? `${k.name}/` : k.name)));
  if (hit) throw refuse(hit.kind === 'duplicate' ? packageRefusals.duplicate(hit.name) : packageRefusals.fileAndFolder(hit.name));
  return kept;
}

/** The manifest at the archive's root, read with its bound counted while inflating, then validated. */
async function readManifest(zip: ZipFile, kept: Kept[], limits: ThemeZipLimits): Promise<ThemeManifest> {
  const found = kept.find((k) => !k.dir && k.name === manifestName && entryName(k.entry) === manifestName);
  if (!found) throw refuse(manifestRefusals.missing);
  const max = limits.maxManifestBytes;
  if (found.entry.uncompressedSize > max) throw refuse(manifestRefusals.tooLarge(max));
  const parts: Buffer[] = [];
  let bytes = 0;
  const stream = await openEntry(zip, found.entry).catch((err: Error) => {
    throw refuse(packageRefusals.unreadable(err.message));
  });
  try {
    for await (const chunk of stream) {
      bytes += (chunk as Buffer).length;
      if (bytes > max) throw refuse(manifestRefusals.tooLarge(max));
      parts.push(chunk as Buffer);
    }
  } catch (err) {
    (stream as unknown as { destroy?(): void }).destroy?.();
    throw err instanceof AppError ? err : refuse(packageRefusals.unreadable((err as Error).message));
  }
  return parseManifest(Buffer.concat(parts).toString('utf8'));
}

/** The archive's permission bits, without group/other write; owner read/write always. */
const fileMode = (e: Entry) => ((unixMode(e) || 0o644) & ~0o022) | 0o600;

/** Second pass: every kept entry written under `dest`, every inflated byte counted against the bounds. */
async function extract(zip: ZipFile, kept: Kept[], dest: string, limits: ThemeZipLimits): Promise<void> {
  const total = { bytes: 0 };
  for (const k of kept) {
    const target = resolve(dest, k.name);
    if (k.dir) {
      mkdirSync(target, { recursive: true, mode: 0o755 });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    const stream = await openEntry(zip, k.entry).catch((err: Error) => {
      throw refuse(packageRefusals.unreadable(err.message));
    });
    let file = 0;
    const name = entryName(k.entry);
    const counted = byteCounter((n) => {
      file += n;
      total.bytes += n;
      if (file > limits.maxFileBytes) return refuse(packageRefusals.fileTooLarge(name, limits.maxFileBytes));
      if (total.bytes > limits.maxTotalBytes) return refuse(packageRefusals.totalTooLarge(limits.maxTotalBytes));
      return undefined;
    });
    try {
      await pipeline(stream, counted, createWriteStream(target, { mode: fileMode(k.entry) }));
    } catch (err) {
      if (err instanceof AppError) throw err;
      // A file-system reason names the server's paths; the archive's own faults are yauzl's words.
      throw refuse((err as NodeJS.ErrnoException).syscall ? packageRefusals.extractFailed(name) : packageRefusals.unreadable((err as Error).message));
    }
  }
}

/**
 * Checks a theme package and extracts it into `dest` (an empty or absent folder the caller owns
 * and removes on failure). Returns the validated manifest; throws `AppError` (400) with Komari's
 * message on the first problem. Nothing is written before the archive and manifest pass.
 */
export async function extractThemeZip(zipPath: string, dest: string, limits: ThemeZipLimits): Promise<ThemeManifest> {
  const zip = await openZip(zipPath, { strictNames: false }, (err) => refuse(packageRefusals.notZip(err.message)));
  try {
    const kept = await inspect(zip, limits);
    const manifest = await readManifest(zip, kept, limits);
    mkdirSync(dest, { recursive: true, mode: 0o755 });
    await extract(zip, kept, dest, limits);
    return manifest;
  } finally {
    zip.close();
  }
}
