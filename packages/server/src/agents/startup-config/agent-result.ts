import { V2Code, V2Failure } from '../v2/envelope.ts';
import type { V2Call } from '../v2/methods.ts';
import { paramsObject } from '../v2/params.ts';
import type { StartupConfigAnswer } from './calls.ts';

const invalid = 'invalid startup configuration result';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Counts every key at every depth, stopping once past `max`, so a deep answer costs no more than a wide one. */
function keysOver(value: unknown, max: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    const children = Array.isArray(v) ? v : Object.values(v);
    count += children.length;
    if (count > max) return true;
    stack.push(...children);
  }
  return false;
}

/** The params as komari-1.5.md §1.4 gives them; anything else is −32602 without data (as Komari). */
function parse(params: unknown, maxKeys: number): { requestId: string; answer: StartupConfigAnswer } {
  const fail = () => new V2Failure(V2Code.InvalidParams, invalid);
  let p: Record<string, unknown>;
  try {
    p = paramsObject(params, invalid);
  } catch {
    throw fail();
  }
  const { request_id: requestId, config, error } = p;
  if (typeof requestId !== 'string' || requestId === '') throw fail();
  if (config !== undefined && config !== null && !isPlainObject(config)) throw fail();
  if (error !== undefined && error !== null && typeof error !== 'string') throw fail();
  if (config && keysOver(config, maxKeys)) throw fail();
  const answer: StartupConfigAnswer = {};
  if (isPlainObject(config)) answer.config = config;
  if (typeof error === 'string') answer.error = error;
  return { requestId, answer };
}

/**
 * `agent.startupConfig.result` (komari-1.5.md §1.2, tier B): settles the waiting
 * `admin:getAgentStartupConfig` call, but only one made to this same client (the uuid is the
 * authenticated one); any other id is −32004.
 */
export async function startupConfigResult(call: V2Call, params: unknown): Promise<unknown> {
  const { requestId, answer } = parse(params, call.app.limits.agents.maxStartupConfigKeys);
  if (!call.app.startupConfigCalls.settle(call.uuid, requestId, answer)) {
    throw new V2Failure(V2Code.UnknownRequest, 'unknown or expired startup configuration request');
  }
  return { status: 'success' };
}
