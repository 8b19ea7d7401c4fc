import { newRequestId } from '../agents/pending-calls.ts';
import type { Clock } from '../clock.ts';
import { FileError, fileTexts } from './errors.ts';
import type { FileLimits } from './limits.ts';

/** One upload in progress (komari-1.5.md §2.4): chunks go to the agent in order, one at a time. */
export interface UploadSession {
  id: string;
  uuid: string;
  path: string;
  size: number;
  chunkSize: number;
  chunkCount: number;
  /** the next chunk the agent expects; chunks are sent in order */
  nextIndex: number;
  /** a chunk is streaming now; a second one waits for it to end */
  busy: boolean;
  expiresAt: number;
  /** who started it, for the audit entry of the merge */
  ip: string;
  actor: string;
}

/**
 * The upload sessions, at most `maxUploadSessions` at once. They live in memory only: after a
 * restart the browser starts again (Komari persists them under data/.uploading; komari-ts does
 * not, and the agent's `.part` file of a lost session is left for the agent to clean).
 */
export class UploadSessions {
  readonly #sessions = new Map<string, UploadSession>();
  readonly #limits: FileLimits;
  readonly #clock: Clock;

  constructor(limits: FileLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  get size(): number {
    return this.#sessions.size;
  }

  open(fields: Omit<UploadSession, 'id' | 'nextIndex' | 'busy' | 'expiresAt' | 'chunkCount'>): UploadSession {
    if (this.#sessions.size >= this.#limits.maxUploadSessions) throw new FileError('tooManyUploads', fileTexts.tooManyUploads);
    const session: UploadSession = {
      ...fields,
      id: newRequestId(),
      chunkCount: Math.ceil(fields.size / fields.chunkSize),
      nextIndex: 0,
      busy: false,
      expiresAt: this.#clock.now() + this.#limits.uploadTtlMs,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session `id` of client `uuid`; an unknown, expired or other client's id is "unknown". */
  get(uuid: string, id: string): UploadSession {
    const s = this.#sessions.get(id);
    if (!s || s.uuid !== uuid || s.expiresAt <= this.#clock.now()) throw new FileError('unknownToken', fileTexts.unknownUpload);
    return s;
  }

  /** Marks a chunk streaming: the session lives longer meanwhile. */
  hold(s: UploadSession): void {
    s.busy = true;
    s.expiresAt = this.#clock.now() + this.#limits.uploadStreamingTtlMs;
  }

  release(s: UploadSession, advanced: boolean): void {
    s.busy = false;
    if (advanced) s.nextIndex++;
    s.expiresAt = this.#clock.now() + this.#limits.uploadTtlMs;
  }

  remove(id: string): UploadSession | undefined {
    const s = this.#sessions.get(id);
    this.#sessions.delete(id);
    return s;
  }

  /** Removes and returns the expired sessions (the caller cancels them on their agents). */
  takeExpired(): UploadSession[] {
    const now = this.#clock.now();
    const out: UploadSession[] = [];
    for (const s of this.#sessions.values()) if (s.expiresAt <= now) out.push(s);
    for (const s of out) this.#sessions.delete(s.id);
    return out;
  }
}
