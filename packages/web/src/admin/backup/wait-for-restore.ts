// After the merge the server rebuilds itself: for a few seconds connections are refused, then the
// status route answers again. Asked until it reports a restore newer than the one known before.
import { ApiError } from '../../lib/api.ts';
import { getRestoreStatus, type LastRestore } from './backup-api.ts';

/** How often to ask, and for how long before telling the admin the server has not come back. */
export const restoreWait = { everyMs: 1000, giveUpMs: 180_000 };

export type RestoreWaitEnd = { kind: 'done'; last: LastRestore } | { kind: 'loggedOut' } | { kind: 'timeout' };

/** Answers a proxy gives while the server behind it is down. */
const down = new Set([502, 503, 504]);

export async function waitForRestore(previousAt: string | undefined, signal: AbortSignal): Promise<RestoreWaitEnd> {
  const deadline = Date.now() + restoreWait.giveUpMs;
  for (;;) {
    signal.throwIfAborted();
    try {
      const status = await getRestoreStatus(signal);
      if (!status.restoring && status.last && status.last.at !== previousAt) return { kind: 'done', last: status.last };
    } catch (err) {
      // the restored data may not hold this session (other accounts): log in again
      if (err instanceof ApiError && err.status === 401) return { kind: 'loggedOut' };
      const refused = err instanceof TypeError || (err instanceof ApiError && down.has(err.status));
      if (!refused) throw err;
    }
    if (Date.now() >= deadline) return { kind: 'timeout' };
    await pause(restoreWait.everyMs, signal);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
