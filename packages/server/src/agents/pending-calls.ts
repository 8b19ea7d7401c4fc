import { randomBytes } from 'node:crypto';
import { RpcCode } from '@komari-ts/protocol';
import { AppError } from '../errors.ts';

/**
 * Calls the server made to an agent that wait for the agent's answer by `request_id`
 * (komari-1.5.md §1.3: `agent.file` → `agent.file.result`, `agent.startupConfig` →
 * `agent.startupConfig.result`). An answer settles a call only when it comes from the client the
 * call was made to; every other answer is "unknown" (−32004 on the wire).
 */
export interface PendingCallsLimits {
  /** calls waiting at once across every client; past it a new call is refused */
  maxPending: number;
}

export interface OpenedCall<T> {
  id: string;
  result: Promise<T>;
}

interface Pending<T> {
  uuid: string;
  resolve: (value: T) => void;
  reject: (err: AppError) => void;
  timer: NodeJS.Timeout;
}

/** Komari's request ids: 16 random bytes as 32 lowercase hex (komari-1.5.md §1.4). */
export function newRequestId(): string {
  return randomBytes(16).toString('hex');
}

export class PendingCalls<T> {
  readonly #calls = new Map<string, Pending<T>>();
  readonly #limits: PendingCallsLimits;

  constructor(limits: PendingCallsLimits) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#calls.size;
  }

  /**
   * Registers a call to `uuid` before it is sent, so an answer that races the send still finds it.
   * The promise rejects with −32011 `timeoutMessage` after `timeoutMs`, or −32010 when `signal`
   * aborts (the browser went away).
   */
  open(uuid: string, timeoutMs: number, timeoutMessage: string, signal?: AbortSignal): OpenedCall<T> {
    if (this.#calls.size >= this.#limits.maxPending) {
      throw new AppError(RpcCode.Unavailable, 'too many agent requests waiting; try again later');
    }
    let id = newRequestId();
    while (this.#calls.has(id)) id = newRequestId();
    const result = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(id, new AppError(RpcCode.DeadlineExceeded, timeoutMessage)), timeoutMs);
      timer.unref();
      this.#calls.set(id, { uuid, resolve, reject, timer });
    });
    if (signal) {
      const onAbort = () => this.#fail(id, new AppError(RpcCode.Cancelled, 'request canceled'));
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        result.then(
          () => signal.removeEventListener('abort', onAbort),
          () => signal.removeEventListener('abort', onAbort),
        );
      }
    }
    return { id, result };
  }

  /** The agent's answer; false when no call of `uuid` waits under `id` (unknown, expired, another client's). */
  settle(uuid: string, id: string, value: T): boolean {
    const call = this.#calls.get(id);
    if (!call || call.uuid !== uuid) return false;
    this.#calls.delete(id);
    clearTimeout(call.timer);
    call.resolve(value);
    return true;
  }

  /** Ends a call the server could not send (the agent went offline before it). */
  fail(id: string, err: AppError): void {
    this.#fail(id, err);
  }

  /** Ends every call of a client, e.g. when it is deleted. */
  failAll(uuid: string, err: AppError): void {
    for (const [id, call] of this.#calls) if (call.uuid === uuid) this.#fail(id, err);
  }

  #fail(id: string, err: AppError): void {
    const call = this.#calls.get(id);
    if (!call) return;
    this.#calls.delete(id);
    clearTimeout(call.timer);
    call.reject(err);
  }
}
