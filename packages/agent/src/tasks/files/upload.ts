import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type Args, bool, int, str, uploadId } from './args.ts';
import { FileOpError, isCode } from './errors.ts';
import { fileLimits } from './limits.ts';
import type { FileScope } from './scope.ts';
import { postTransfer, type Slots, transferOf, type TransferLink } from './transfer-http.ts';

interface Session {
  target: string;
  part: string;
  totalSize: number;
  chunkSize: number;
  chunkCount: number;
  parts: Set<number>;
  touched: number;
  /** streams of this upload in flight, so upload_cancel can stop them */
  streams: Set<AbortController>;
  idle: Promise<void>;
  settleIdle: () => void;
}

interface Spec {
  target: string;
  id: string;
  offset: number;
  index: number;
  count: number;
  total: number;
  chunk: number;
  expected: number;
  first: boolean;
}

/** `.<name>.komari-upload-<id>.part` beside the target (komari-1.5.md §2.3). */
export function partPathOf(target: string, id: string): string {
  return join(dirname(target), `.${basename(target) || 'upload'}.komari-upload-${id}.part`);
}

/**
 * The streamed upload (komari-1.5.md §2.3, §2.5): each chunk is one `upload_stream`, which asks
 * the transfer route for the chunk (a POST with no body) and writes the answer into the .part file
 * at its offset as it arrives; `upload_commit` renames the complete .part over the target;
 * `upload_cancel` stops the streams and removes the .part. Sessions live in memory (bounded in
 * number and age); a commit after an agent restart still works when the .part has the full size.
 */
export class Uploads {
  readonly #sessions = new Map<string, Session>();
  readonly #scope: FileScope;
  readonly #slots: Slots;

  constructor(scope: FileScope, slots: Slots) {
    this.#scope = scope;
    this.#slots = slots;
  }

  get size(): number {
    return this.#sessions.size;
  }

  async #spec(args: Args, final: boolean): Promise<Spec> {
    const id = uploadId(args);
    const target = await this.#scope.resolve(str(args, 'path'));
    if (await this.#scope.isProtected(target)) throw new FileOpError('upload path must be a file');
    const s: Spec = {
      target,
      id,
      offset: int(args, 'offset', -1),
      index: int(args, 'chunk_index', -1),
      count: int(args, 'chunk_count'),
      total: int(args, 'total_size'),
      chunk: int(args, 'chunk_size') || fileLimits.defaultChunkBytes,
      expected: 0,
      first: bool(args, 'first'),
    };
    if (s.offset < 0 || s.count <= 0 || s.total <= 0) throw new FileOpError('invalid upload stream metadata');
    if (s.chunk <= 0 || s.chunk > fileLimits.streamMaxBytes) throw new FileOpError(`chunk_size must be between 1 and ${fileLimits.streamMaxBytes} bytes`);
    if (s.count !== Math.ceil(s.total / s.chunk)) throw new FileOpError('chunk_count does not match total_size');
    if (final) {
      if (s.index !== s.count || s.offset !== s.total) throw new FileOpError('invalid final upload marker');
      return s;
    }
    if (s.index < 0 || s.index >= s.count || s.offset !== s.index * s.chunk) throw new FileOpError('invalid upload chunk offset');
    s.expected = Math.min(s.chunk, s.total - s.offset);
    return s;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.#sessions) {
      if (s.streams.size === 0 && now - s.touched > fileLimits.uploadSessionTtlMs) this.#sessions.delete(id);
    }
  }

  /** The session of the first chunk (a fresh, empty .part) or of a later one (must match). */
  async #session(s: Spec): Promise<Session> {
    let session = this.#sessions.get(s.id);
    if (s.first) {
      if (session) await this.#drop(s.id, session);
      this.#sweep();
      if (this.#sessions.size >= fileLimits.uploadSessions) throw new FileOpError('too many uploads in progress');
      const part = partPathOf(s.target, s.id);
      // a .part planted as a link pointing out of the root is refused like any other path
      await this.#scope.resolve(part);
      await mkdir(dirname(s.target), { recursive: true, mode: 0o755 });
      await (await this.#scope.open(part, 'w', 0o600)).close();
      session = {
        target: s.target,
        part,
        totalSize: s.total,
        chunkSize: s.chunk,
        chunkCount: s.count,
        parts: new Set(),
        touched: Date.now(),
        streams: new Set(),
        idle: Promise.resolve(),
        settleIdle: () => {},
      };
      this.#sessions.set(s.id, session);
      return session;
    }
    if (!session) throw new FileOpError('unknown upload session');
    if (session.target !== s.target) throw new FileOpError('upload target path does not match session');
    if (session.totalSize !== s.total) throw new FileOpError('upload total size does not match session');
    if (session.chunkSize !== s.chunk) throw new FileOpError('upload chunk size does not match session');
    return session;
  }

  async stream(args: Args, link: TransferLink, signal: AbortSignal): Promise<{ received: number; offset: number }> {
    const s = await this.#spec(args, false);
    const transfer = transferOf(link, args);
    const session = await this.#session(s);
    const ac = new AbortController();
    const stop = () => ac.abort();
    signal.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(stop, fileLimits.streamTimeoutMs);
    this.#begin(session, ac);
    let release: (() => void) | undefined;
    try {
      release = await this.#slots.acquire(ac.signal);
      const headers = {
        'Content-Length': '0',
        Accept: 'application/octet-stream',
        'X-Komari-Transfer-Offset': String(s.offset),
        'X-Komari-Transfer-Length': String(s.expected),
      };
      const res = await postTransfer(link, { transfer, headers, signal: ac.signal });
      const length = res.headers['content-length'];
      if (length !== undefined && Number(length) !== s.expected) {
        res.destroy();
        throw new FileOpError(`upload stream content length ${length}, want ${s.expected}`);
      }
      const written = await writeAt(this.#scope, session.part, s.offset, s.expected, res);
      if (written !== s.expected) throw new FileOpError(`upload stream ended after ${written} of ${s.expected} bytes`);
      if (this.#sessions.get(s.id) !== session) throw new FileOpError('upload session was cancelled while receiving the stream');
      session.parts.add(s.index);
      session.touched = Date.now();
      return { received: written, offset: s.offset + written };
    } catch (err) {
      if (ac.signal.aborted) throw new FileOpError('file transfer cancelled');
      throw err;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      release?.();
      this.#end(session, ac);
    }
  }

  async commit(args: Args): Promise<{ received: 0; final: true; offset: number }> {
    const s = await this.#spec(args, true);
    const session = this.#sessions.get(s.id);
    if (session) {
      if (session.target !== s.target) throw new FileOpError('upload target path does not match session');
      if (session.streams.size > 0) throw new FileOpError('upload still receiving chunks');
      if (session.parts.size !== session.chunkCount) {
        throw new FileOpError(`upload incomplete: received ${session.parts.size} of ${session.chunkCount} chunks`);
      }
    }
    const part = session?.part ?? partPathOf(s.target, s.id);
    let size: number;
    try {
      size = (await stat(part)).size;
    } catch (err) {
      if (isCode(err, 'ENOENT') && !session) throw new FileOpError('unknown upload session');
      throw err;
    }
    if (size !== s.total) throw new FileOpError(`upload part file is ${size} bytes, want ${s.total}`);
    const existing = await stat(s.target).catch(() => undefined);
    if (existing?.isDirectory()) throw new FileOpError('cannot replace a directory with a file');
    // the editor saves through uploads: a replaced file keeps its permission bits (a script stays
    // executable, a key stays private), as the edit op's atomic write does
    if (existing) await chmod(part, existing.mode & 0o7777);
    await rename(part, s.target);
    await syncDir(dirname(s.target));
    this.#sessions.delete(s.id);
    return { received: 0, final: true, offset: s.total };
  }

  async cancel(args: Args): Promise<{ cancelled: true }> {
    const id = uploadId(args);
    const path = str(args, 'path');
    const target = path === '' ? undefined : await this.#scope.resolve(path);
    const session = this.#sessions.get(id);
    if (session) {
      if (target && target !== session.target) throw new FileOpError('upload target path does not match session');
      await this.#drop(id, session);
    } else if (target) {
      // after an agent restart only the .part is left: it is found by its name
      await rm(partPathOf(target, id), { force: true });
    }
    return { cancelled: true };
  }

  /** Stops the session's streams, waits for them, removes its .part. */
  async #drop(id: string, session: Session): Promise<void> {
    if (this.#sessions.get(id) === session) this.#sessions.delete(id);
    for (const ac of session.streams) ac.abort();
    await session.idle;
    await rm(session.part, { force: true });
  }

  #begin(session: Session, ac: AbortController): void {
    if (session.streams.size === 0) session.idle = new Promise((resolve) => (session.settleIdle = resolve));
    session.streams.add(ac);
  }

  #end(session: Session, ac: AbortController): void {
    session.streams.delete(ac);
    if (session.streams.size === 0) session.settleIdle();
  }
}

/** Writes at most `limit` bytes of `source` into `path` from `offset`, flushed to disk; the count written. */
async function writeAt(scope: FileScope, path: string, offset: number, limit: number, source: AsyncIterable<Buffer> & { destroy(): void }): Promise<number> {
  const handle = await scope.open(path, 'r+');
  let written = 0;
  try {
    for await (const chunk of source) {
      const take = chunk.subarray(0, limit - written);
      if (take.length > 0) {
        let done = 0;
        while (done < take.length) done += (await handle.write(take, done, take.length - done, offset + written + done)).bytesWritten;
        written += take.length;
      }
      // a longer answer than asked for: the rest is not ours to write
      if (written >= limit) break;
    }
    await handle.sync();
    return written;
  } finally {
    source.destroy();
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
