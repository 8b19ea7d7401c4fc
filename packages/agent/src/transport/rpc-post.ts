import type { Endpoints } from './endpoints.ts';
import { paths } from './endpoints.ts';
import { type FailureCounter, ProtocolFailure } from './failures.ts';
import type { HttpClient } from './http-client.ts';

/** What a v2 POST needs: the client, the URLs, whether to gzip, and the shared failure counter. */
export interface PostContext {
  http: HttpClient;
  endpoints: Endpoints;
  gzip: boolean;
  failures: FailureCounter;
}

export interface V2PostOptions {
  /** absent: a notification (agent.basicInfo, agent.pingResult) */
  id?: string;
  timeoutMs: number;
  /** whether the answer counts toward the v1 fallback (basic info, report, pull; not ping results) */
  counted: boolean;
  /** an empty body is a success (agent.basicInfo, as in the official agent) */
  emptyOk?: boolean;
  signal?: AbortSignal;
}

/** The `result` of a JSON-RPC answer, or a ProtocolFailure describing what was wrong with it. */
function resultOf(status: number, text: string, emptyOk: boolean): unknown {
  if (status !== 200) throw new ProtocolFailure(`HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`, status);
  if (emptyOk && text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ProtocolFailure(`the answer is not JSON: ${text.slice(0, 80)}`, status);
  }
  if (typeof body !== 'object' || body === null || (body as { jsonrpc?: unknown }).jsonrpc !== '2.0') {
    throw new ProtocolFailure('the answer is not JSON-RPC 2.0', status);
  }
  const { error, result } = body as { error?: { code?: unknown; message?: unknown }; result?: unknown };
  if (error !== undefined && error !== null) throw new ProtocolFailure(`JSON-RPC error ${String(error.code)} ${String(error.message)}`, status);
  return result;
}

/**
 * One JSON-RPC call over `POST /api/clients/v2/rpc` (gzip body unless compression is off).
 * Resolves with the `result`; rejects with a ProtocolFailure (counted when `counted`) or a
 * NetworkError (never counted). A counted success resets the failure counter.
 */
export async function postV2(ctx: PostContext, method: string, params: unknown, o: V2PostOptions): Promise<unknown> {
  const body = { jsonrpc: '2.0', method, params, ...(o.id !== undefined ? { id: o.id } : {}) };
  const answer = await ctx.http.post(ctx.endpoints.http(paths.v2), body, { gzip: ctx.gzip, timeoutMs: o.timeoutMs, signal: o.signal });
  try {
    const result = resultOf(answer.status, answer.text, o.emptyOk ?? false);
    if (o.counted) ctx.failures.reset();
    return result;
  } catch (err) {
    if (o.counted) ctx.failures.fail();
    throw err;
  }
}

/** A plain JSON POST to a v1-style route; a ProtocolFailure unless the status is 200. */
export async function postPlain(ctx: PostContext, path: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const answer = await ctx.http.post(ctx.endpoints.http(path), body, { timeoutMs, signal });
  if (answer.status !== 200) throw new ProtocolFailure(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`, answer.status);
  return answer.text;
}
