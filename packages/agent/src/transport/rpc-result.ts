import { paths } from './endpoints.ts';
import { sleep } from './failures.ts';
import { errorText, type Logger } from './log.ts';
import type { PostContext } from './rpc-post.ts';

/** How answers to the server's calls are posted (komari-1.5.md §2.3, the Go agent's postFileResult). */
export interface ResultPostLimits {
  timeoutMs: number;
  attempts: number;
  /** pause before attempt n+1: n × this */
  backoffMs: number;
}

/**
 * POSTs the notification `{"jsonrpc":"2.0","method":…,"params":…}` as plain JSON (never gzip, as
 * the Go agent) to `/api/clients/v2/rpc?token=`, never over the socket. Retries a network failure or
 * a 5xx; a 4xx (e.g. −32004, the call has expired) is final. Never rejects: true when delivered.
 */
export async function postResult(
  post: PostContext,
  method: string,
  params: unknown,
  o: { limits: ResultPostLimits; log: Logger; signal: AbortSignal },
): Promise<boolean> {
  const body = { jsonrpc: '2.0', method, params };
  const url = post.endpoints.http(paths.v2);
  for (let attempt = 1; attempt <= o.limits.attempts && !o.signal.aborted; attempt++) {
    let problem: string;
    try {
      const answer = await post.http.post(url, body, { timeoutMs: o.limits.timeoutMs, signal: o.signal });
      if (answer.status >= 200 && answer.status < 300) return true;
      problem = `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`;
      if (answer.status >= 400 && answer.status < 500) {
        o.log.warn(`${method}: the server refused it (${problem})`);
        return false;
      }
    } catch (err) {
      problem = errorText(err);
    }
    if (attempt < o.limits.attempts) await sleep(attempt * o.limits.backoffMs, o.signal);
    else o.log.warn(`${method}: not delivered after ${attempt} attempts (${problem})`);
  }
  return false;
}
