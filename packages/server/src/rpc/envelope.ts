import { RpcCode, type RpcId, type RpcRequest, type RpcResponse } from '@komari-ts/protocol';

/** An error reply without an id, for failures before any request could be read. */
export function envelopeError(code: number, message: string, data?: unknown): RpcResponse {
  const error = data === undefined ? { code, message } : { code, message, data };
  return { jsonrpc: '2.0', error };
}

export function rpcResult(id: RpcId | undefined, result: unknown): RpcResponse {
  const res: RpcResponse = { jsonrpc: '2.0' };
  if (id !== undefined) res.id = id;
  if (result !== undefined) res.result = result;
  return res;
}

export function rpcError(id: RpcId | undefined, code: number, message: string, data?: unknown): RpcResponse {
  const res = envelopeError(code, message, data);
  return id === undefined ? res : { jsonrpc: '2.0', id, error: res.error! };
}

/** The id to echo: strings and numbers; anything else (null, objects) counts as "no id". */
export function idOf(value: unknown): RpcId | undefined {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  return undefined;
}

/** rpc2.md §2: `jsonrpc` must be "2.0" and `method` non-blank; returns the error or the request. */
export function validateRequest(value: unknown): RpcRequest | RpcResponse {
  const obj = value as Record<string, unknown>;
  // Go cannot decode 1e400 into a float64: the whole body is invalid JSON, never "id": null.
  if (typeof obj.id === 'number' && !Number.isFinite(obj.id)) return envelopeError(RpcCode.ParseError, 'invalid json', 'id out of range');
  const id = idOf(obj.id);
  if (obj.jsonrpc !== '2.0') return rpcError(id, RpcCode.InvalidRequest, 'invalid jsonrpc version');
  if (typeof obj.method !== 'string' || obj.method.trim() === '') {
    return rpcError(id, RpcCode.InvalidRequest, 'method required');
  }
  const req: RpcRequest = { jsonrpc: '2.0', method: obj.method };
  if (obj.params !== undefined) req.params = obj.params;
  if (id !== undefined) req.id = id;
  return req;
}

export function isRpcRequest(v: RpcRequest | RpcResponse): v is RpcRequest {
  return 'method' in v;
}

export type PostBody =
  | { kind: 'single'; request: RpcRequest }
  | { kind: 'batch'; requests: RpcRequest[] }
  | { kind: 'error'; status: 400; response: RpcResponse };

/**
 * Parses a POST /api/rpc2 body with Komari's exact failure replies (rpc2.md §3). A batch longer
 * than `maxBatch` is refused whole before any element is looked at: nothing of it runs.
 */
export function parsePostBody(text: string, maxBatch: number): PostBody {
  const fail = (code: number, message: string, data?: unknown): PostBody => ({
    kind: 'error',
    status: 400,
    response: envelopeError(code, message, data),
  });
  const trimmed = text.trim();
  if (trimmed === '') return fail(RpcCode.ParseError, 'empty body');
  if (trimmed[0] !== '{' && trimmed[0] !== '[') return fail(RpcCode.ParseError, 'invalid json: not object/array');
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    return fail(RpcCode.ParseError, 'invalid json', (err as Error).message);
  }
  if (!Array.isArray(value)) {
    if (value === null || typeof value !== 'object') return fail(RpcCode.ParseError, 'invalid json: not object/array');
    const v = validateRequest(value);
    return isRpcRequest(v) ? { kind: 'single', request: v } : { kind: 'error', status: 400, response: v };
  }
  if (value.length === 0) return fail(RpcCode.InvalidRequest, 'empty batch');
  if (value.length > maxBatch) {
    return fail(RpcCode.InvalidRequest, `batch too large: ${value.length} requests, at most ${maxBatch} in one batch`);
  }
  const requests: RpcRequest[] = [];
  for (const el of value) {
    if (el === null || typeof el !== 'object' || Array.isArray(el)) {
      return fail(RpcCode.ParseError, 'invalid json', 'batch element is not an object');
    }
    const v = validateRequest(el);
    if (!isRpcRequest(v)) return { kind: 'error', status: 400, response: v };
    requests.push(v);
  }
  return { kind: 'batch', requests };
}

/** The error that stands in for an answer that would pass `maxBytes` (limits.rpc.maxResponseBytes). */
export function tooLargeError(id: RpcId | undefined, maxBytes: number): RpcResponse {
  return rpcError(id, RpcCode.InternalError, `response too large: answers are limited to ${maxBytes} bytes per request`);
}
