import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Clock } from '../clock.ts';
import { FileError, fileTexts } from './errors.ts';
import type { FileLimits } from './limits.ts';

export type Direction = 'download' | 'upload';

/**
 * A one-shot stream transfer (komari-1.5.md §2.1, §2.5): one logical chunk between a browser
 * request and the agent's `/api/clients/transfer/:id` request. Bytes are never held here: the
 * side that reads pulls them from the side that writes, so a slow reader slows the writer.
 *
 * download (agent → browser): the agent POSTs the chunk; `connected` gives its body.
 * upload (browser → agent): the agent GETs (or POSTs without a body); the server answers with
 * the `source` the browser side supplies.
 */
export class Transfer {
  readonly id = randomUUID();
  readonly token = randomUUID();
  readonly uuid: string;
  readonly direction: Direction;
  readonly length: number;
  readonly expiresAt: number;
  state: 'waiting' | 'connected' | 'closed' = 'waiting';
  /** resolves with the agent's body (download) or with nothing (upload) once the agent connects */
  readonly connected: Promise<AsyncIterable<Buffer> | undefined>;
  /** upload: the bytes to answer the agent with; download: how the relay ended */
  readonly #source: Deferred<Readable>;
  readonly #outcome: Deferred<Error | undefined>;
  readonly #connect: Deferred<AsyncIterable<Buffer> | undefined>;
  readonly #onClose: (t: Transfer) => void;

  constructor(uuid: string, direction: Direction, length: number, expiresAt: number, onClose: (t: Transfer) => void) {
    this.uuid = uuid;
    this.direction = direction;
    this.length = length;
    this.expiresAt = expiresAt;
    this.#onClose = onClose;
    this.#connect = deferred();
    this.#source = deferred();
    this.#outcome = deferred();
    this.connected = this.#connect.promise;
  }

  /** The agent's request arrived and passed every check. */
  attach(body?: AsyncIterable<Buffer>): void {
    this.state = 'connected';
    this.#connect.resolve(body);
  }

  /** The agent's request was refused after it claimed the transfer: the waiting side learns why. */
  refuse(err: Error): void {
    this.state = 'connected';
    this.#connect.reject(err);
    this.close();
  }

  /** upload: what the agent's request is answered with. */
  provide(source: Readable): void {
    this.#source.resolve(source);
  }

  source(): Promise<Readable> {
    return this.#source.promise;
  }

  /** download: the relay is over (`err` when it failed); the agent's request gets its answer. */
  finish(err?: Error): void {
    this.#outcome.resolve(err);
  }

  outcome(): Promise<Error | undefined> {
    return this.#outcome.promise;
  }

  /** Frees the slot; an agent connecting later is told the transfer is unknown. Idempotent. */
  close(reason: Error = new FileError('cancelled', 'file transfer is closed')): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.#connect.reject(reason);
    this.#source.reject(reason);
    this.#outcome.resolve(reason);
    this.#onClose(this);
  }
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting (the transfer was closed before anyone asked): not an unhandled rejection.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/** The open transfers: at most `maxTransfers`; allocation waits for a slot (§2.5). */
export class TransferTable {
  readonly #open = new Map<string, Transfer>();
  readonly #waiters: Waiter[] = [];
  readonly #limits: FileLimits;
  readonly #clock: Clock;

  constructor(limits: FileLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  get size(): number {
    return this.#open.size;
  }

  get(id: string): Transfer | undefined {
    return this.#open.get(id);
  }

  /** A new transfer for `uuid`, once a slot is free; fails when `signal` aborts or no slot frees in time. */
  async allocate(uuid: string, direction: Direction, length: number, signal?: AbortSignal): Promise<Transfer> {
    while (this.#open.size >= this.#limits.maxTransfers) await this.#waitForSlot(signal);
    signal?.throwIfAborted();
    const t = new Transfer(uuid, direction, length, this.#clock.now() + this.#limits.transferTtlMs, (done) => this.#release(done));
    this.#open.set(t.id, t);
    return t;
  }

  /** Drops transfers no agent connected to in time; their waiting side fails. */
  sweep(): void {
    const now = this.#clock.now();
    for (const t of this.#open.values()) {
      if (t.state === 'waiting' && t.expiresAt <= now) t.close(new FileError('timeout', 'file transfer expired'));
    }
  }

  /** Every transfer of a client ends (it was deleted). */
  closeAll(uuid: string): void {
    for (const t of [...this.#open.values()]) if (t.uuid === uuid) t.close();
  }

  #release(t: Transfer): void {
    if (this.#open.get(t.id) !== t) return;
    this.#open.delete(t.id);
    this.#waiters.shift()?.resolve();
  }

  #waitForSlot(signal?: AbortSignal): Promise<void> {
    if (this.#waiters.length >= this.#limits.maxTransferWaiters) return Promise.reject(new FileError('busy', fileTexts.tooManyTransfers));
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
      };
      const waiter: Waiter = {
        resolve: () => {
          done();
          resolve();
        },
        reject: (err) => {
          done();
          reject(err);
        },
      };
      const onAbort = () => waiter.reject(new FileError('cancelled', fileTexts.cancelled));
      const timer = setTimeout(() => waiter.reject(new FileError('busy', fileTexts.tooManyTransfers)), this.#limits.transferSlotWaitMs);
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      if (signal?.aborted) onAbort();
    });
  }
}
