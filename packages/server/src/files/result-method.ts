import type { AppContext } from '../app-context.ts';
import { V2Failure } from '../agents/v2/envelope.ts';
import { invalidParams, paramsObject } from '../agents/v2/params.ts';
import type { FileResult } from './file-calls.ts';

/** −32004: an answer to no call waiting for this client (komari-1.5.md §1.2). */
const unknownCallCode = -32004;

/**
 * `agent.file.result` (§1.2, §1.4): the answer to an `agent.file` call. The client is the
 * authenticated one whatever `params.uuid` says, so one agent can never settle another's call.
 */
export function acceptFileResult(app: AppContext, uuid: string, params: unknown): { status: 'success' } {
  const message = 'invalid file result params';
  const p = paramsObject(params, message);
  if (typeof p.request_id !== 'string' || p.request_id === '') throw invalidParams(message, 'request_id must be a non-empty string');
  if (p.ok !== undefined && p.ok !== null && typeof p.ok !== 'boolean') throw invalidParams(message, 'ok must be a boolean');
  if (p.error !== undefined && p.error !== null && typeof p.error !== 'string') throw invalidParams(message, 'error must be a string');
  if (p.uuid !== undefined && p.uuid !== null && typeof p.uuid !== 'string') throw invalidParams(message, 'uuid must be a string');
  const answer: FileResult = { ok: p.ok === true };
  if (p.result !== undefined && p.result !== null) answer.result = p.result;
  if (typeof p.error === 'string' && p.error !== '') answer.error = p.error;
  if (!app.files.calls.settle(uuid, p.request_id, answer)) throw new V2Failure(unknownCallCode, 'unknown or expired file operation');
  return { status: 'success' };
}
