import { randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { ServerLimits } from '../config/limits.ts';
import { AppError } from '../errors.ts';

/** An upload in progress; its chunks are files under its own folder. */
interface Upload {
  id: string;
  purpose: string;
  size: number;
  filename: string;
  chunkCount: number;
  received: Set<number>;
  touchedAt: number;
  /** chunks being written or a merge running: the sweep leaves it alone */
  busy: number;
  /** merged or being merged: it takes no chunk, no second merge, no cancel, and never expires */
  merging: boolean;
  dir: string;
}

/** A finished upload, concatenated into one file that is its purpose's to use. */
export interface MergedUpload {
  id: string;
  purpose: string;
  filename: string;
  size: number;
  path: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalidId = () => AppError.invalidParams('invalid upload id');
const notFound = () => AppError.notFound('upload not found or expired');
const beingMerged = () => AppError.invalidParams('upload is being merged');

/**
 * The chunked upload protocol of admin-api.md §11.2, independent of what the file is for:
 * bounded in count, size and idle time (limits.upload), chunks on disk under `root`, never
 * in memory whole. Uploads do not outlive the app: `root` is emptied when it is built.
 */
export class UploadService {
  readonly #uploads = new Map<string, Upload>();
  readonly #root: string;
  readonly #limits: ServerLimits['upload'];
  readonly #clock: Clock;
  readonly #purposes: ReadonlySet<string>;

  constructor(root: string, limits: ServerLimits['upload'], clock: Clock, purposes: Iterable<string>) {
    this.#root = root;
    this.#limits = limits;
    this.#clock = clock;
    this.#purposes = new Set(purposes);
  }

  #prepared = false;

  /** Left-overs of an earlier app (its uploads died with it) are deleted at the first use. */
  #prepare(): void {
    if (this.#prepared) return;
    rmSync(this.#root, { recursive: true, force: true });
    mkdirSync(join(this.#root, '.incoming'), { recursive: true, mode: 0o700 });
    this.#prepared = true;
  }

  get chunkBytes(): number {
    return this.#limits.chunkBytes;
  }

  /** A fresh file for a request body in flight, before it is known to belong anywhere. */
  incomingPath(): string {
    this.#prepare();
    return join(this.#root, '.incoming', randomUUID());
  }

  init(purpose: string, size: number, filename: string): { upload_id: string; chunk_size: number } {
    if (!this.#purposes.has(purpose)) throw AppError.invalidParams('unsupported upload purpose');
    const max = this.#limits.maxUploadBytes;
    if (!Number.isSafeInteger(size) || size < 1 || size > max) throw AppError.invalidParams(`size must be between 1 and ${max} bytes`);
    if (this.#uploads.size >= this.#limits.maxConcurrent) throw AppError.tooManyAttempts('too many concurrent uploads', 60);
    this.#prepare();
    const id = randomUUID();
    const dir = join(this.#root, id);
    mkdirSync(dir, { mode: 0o700 });
    const chunkCount = Math.ceil(size / this.#limits.chunkBytes);
    this.#uploads.set(id, { id, purpose, size, filename, chunkCount, received: new Set(), touchedAt: this.#clock.now(), busy: 0, merging: false, dir });
    return { upload_id: id, chunk_size: this.#limits.chunkBytes };
  }

  /** The upload a chunk names, held busy until `release`, so it does not expire mid-chunk. */
  hold(id: string): Upload {
    const upload = this.#find(id);
    upload.busy++;
    upload.touchedAt = this.#clock.now();
    return upload;
  }

  release(upload: Upload): void {
    upload.busy--;
    upload.touchedAt = this.#clock.now();
  }

  /** Takes the chunk written to `file` as chunk `index`; a chunk sent again replaces the first. */
  putChunk(upload: Upload, index: number, file: string, bytes: number): void {
    if (!this.#uploads.has(upload.id)) throw notFound(); // cancelled while it was arriving
    if (upload.merging) throw beingMerged();
    if (!Number.isInteger(index) || index < 0 || index >= upload.chunkCount) throw AppError.invalidParams('invalid chunk index');
    const want = index === upload.chunkCount - 1 ? upload.size - index * this.#limits.chunkBytes : this.#limits.chunkBytes;
    if (bytes !== want) throw AppError.invalidParams(`chunk ${index} has size ${bytes}, want ${want}`);
    renameSync(file, join(upload.dir, `${index}.part`));
    upload.received.add(index);
  }

  /** Concatenates the chunks in order; any failure cancels the upload (Komari does the same). */
  async merge(id: string): Promise<MergedUpload> {
    const upload = this.#find(id);
    if (upload.merging) throw beingMerged();
    upload.merging = true;
    upload.busy++;
    try {
      for (let i = 0; i < upload.chunkCount; i++) if (!upload.received.has(i)) throw AppError.invalidParams(`chunk ${i} is missing`);
      const path = join(upload.dir, 'merged');
      // One handle written part after part (a stream piped into 800 times collects 800 sets of
      // listeners), closed whatever happens.
      const out = await open(path, 'w', 0o600);
      try {
        for (let i = 0; i < upload.chunkCount; i++) {
          for await (const piece of createReadStream(join(upload.dir, `${i}.part`))) await out.write(piece as Buffer);
        }
      } finally {
        await out.close();
      }
      for (let i = 0; i < upload.chunkCount; i++) rmSync(join(upload.dir, `${i}.part`), { force: true });
      if (statSync(path).size !== upload.size) throw AppError.internal('merged upload has the wrong size');
      return { id: upload.id, purpose: upload.purpose, filename: upload.filename, size: upload.size, path };
    } catch (err) {
      this.#drop(upload);
      throw err;
    } finally {
      upload.busy--;
    }
  }

  /** Deletes an upload and its files; one being merged is its merge's to delete (`discard`). */
  cancel(id: string): void {
    const upload = this.#find(id);
    if (upload.merging) throw beingMerged();
    this.#drop(upload);
  }

  /** Deletes a merged upload once its purpose is done with it, whatever happened. */
  discard(merged: MergedUpload): void {
    const upload = this.#uploads.get(merged.id);
    if (upload) this.#drop(upload);
  }

  /** Uploads idle past `idleTtlMs` are deleted; returns how many. */
  sweep(): number {
    const cutoff = this.#clock.now() - this.#limits.idleTtlMs;
    let n = 0;
    for (const upload of this.#uploads.values()) {
      if (upload.busy === 0 && !upload.merging && upload.touchedAt < cutoff) {
        this.#drop(upload);
        n++;
      }
    }
    return n;
  }

  get active(): number {
    return this.#uploads.size;
  }

  #find(id: string): Upload {
    if (!uuidPattern.test(id)) throw invalidId();
    const upload = this.#uploads.get(id.toLowerCase());
    if (!upload) throw notFound();
    return upload;
  }

  #drop(upload: Upload): void {
    this.#uploads.delete(upload.id);
    rmSync(upload.dir, { recursive: true, force: true });
  }
}
