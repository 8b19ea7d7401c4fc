/**
 * How the official agent decides to fall back to v1 (agent-protocol.md §8): a *protocol failure*
 * is a server answer that is not the expected success (a WebSocket handshake answered with a
 * status other than 101; a POST answered with a status other than 200, or with a body that is not
 * JSON-RPC 2.0 or carries `error`). Network errors (DNS, refused, reset, timeout) are not.
 */
export class ProtocolFailure extends Error {
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.status = status;
  }
}

/** The server could not be reached or the exchange was cut: never a protocol failure. */
export class NetworkError extends Error {}

/** Three consecutive protocol failures switch to v1. */
export const protocolFailureThreshold = 3;

/**
 * The shared counter of consecutive protocol failures: reset by a successful v2 POST, a
 * successful v2 WebSocket connect, and whenever a connection is torn down.
 */
export class FailureCounter {
  #count = 0;

  get count(): number {
    return this.#count;
  }

  /** whether the last failures reached the threshold */
  get reached(): boolean {
    return this.#count >= protocolFailureThreshold;
  }

  /** Counts one failure; true when the threshold is reached. */
  fail(): boolean {
    this.#count++;
    return this.#count >= protocolFailureThreshold;
  }

  reset(): void {
    this.#count = 0;
  }
}

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
