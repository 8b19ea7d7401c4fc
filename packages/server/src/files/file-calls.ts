import type { AppContext } from '../app-context.ts';
import { dispatchCommand } from '../agents/dispatch.ts';
import { PendingCalls } from '../agents/pending-calls.ts';
import { agentFailure, asFileError, FileError, fileTexts } from './errors.ts';

/** `agent.file.result` params as the server keeps them (komari-1.5.md §1.4 FileResult). */
export interface FileResult {
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface FileCallOptions {
  timeoutMs?: number;
  /** the browser went away: the call ends with −32010 and its pending entry goes */
  signal?: AbortSignal;
}

/** Calls waiting for `agent.file.result`, every client together. */
export function newFileCalls(maxPending: number): PendingCalls<FileResult> {
  return new PendingCalls<FileResult>({ maxPending });
}

/**
 * The control plane (§2.1): a v1 agent cannot take file operations; otherwise `agent.file` goes
 * out on the socket or as a queued event, and its answer is waited for by `request_id`. A node of
 * unknown protocol (not seen since the start) that cannot be reached is "not connected", not
 * "unsupported": Komari marks v2 clients in memory only and would say unsupported, which misleads
 * after a restart. Resolves with the agent's `result`; every failure is a FileError.
 */
export async function callAgentFile(app: AppContext, uuid: string, op: string, args: Record<string, unknown>, opts: FileCallOptions = {}): Promise<unknown> {
  if (app.live.protocolOf(uuid) === 1 || app.live.socketOf(uuid)?.protocol === 1) throw new FileError('unsupported', fileTexts.unsupported);
  let call;
  try {
    call = app.files.calls.open(uuid, opts.timeoutMs ?? app.limits.files.callTimeoutMs, fileTexts.timeout, opts.signal);
  } catch (err) {
    throw new FileError('busy', (err as Error).message);
  }
  const params: Record<string, unknown> = { uuid, request_id: call.id, op };
  if (Object.keys(args).length > 0) params.args = args;
  const delivery = dispatchCommand(app, uuid, { v1: {}, v2: { method: 'agent.file', params } }, { localOnly: true });
  if (delivery === 'offline') app.files.calls.fail(call.id, new FileError('offline', fileTexts.offline));
  let answer: FileResult;
  try {
    answer = await call.result;
  } catch (err) {
    throw asFileError(err);
  }
  if (!answer.ok) throw agentFailure(answer.error ?? '');
  return answer.result;
}
