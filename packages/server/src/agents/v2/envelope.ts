/**
 * The JSON-RPC envelope of the agent endpoint `/api/clients/v2/rpc` (agent-protocol.md §7.2).
 * Its codes and messages differ from the public `/api/rpc2` (rpc/envelope.ts), so they live here.
 */
export const V2Code = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  SaveFailed: -32000,
  InvalidToken: -32001,
  /** an answer to a server → agent call that is not waiting (komari-1.5.md §1.2) */
  UnknownRequest: -32004,
  Internal: -32603,
} as const;

/** A decoded request; `id` is undefined when it was absent or null (a notification). */
export interface V2Request {
  jsonrpc: string;
  method: string;
  params: unknown;
  id: unknown;
}

export interface V2Response {
  jsonrpc: '2.0';
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export type Decoded = { ok: true; request: V2Request } | { ok: false; data: string };

/**
 * Decodes one POST body or WebSocket frame the way Komari's struct decoding does: surrounding
 * whitespace is ignored, `null` is an empty request, and anything that is not an object, or an
 * object whose `jsonrpc`/`method` is not a string, cannot be decoded (a parse error). Any other
 * id type is echoed as sent; Komari's id is an untyped value too.
 */
export function decodeRequest(text: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text.trim());
  } catch (err) {
    return { ok: false, data: (err as Error).message };
  }
  if (value === null) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, data: `cannot decode ${Array.isArray(value) ? 'an array' : `a ${typeof value}`} as a request object` };
  }
  const o = value as Record<string, unknown>;
  for (const key of ['jsonrpc', 'method']) {
    if (o[key] !== undefined && o[key] !== null && typeof o[key] !== 'string') return { ok: false, data: `${key} must be a string` };
  }
  const request: V2Request = {
    jsonrpc: typeof o.jsonrpc === 'string' ? o.jsonrpc : '',
    method: typeof o.method === 'string' ? o.method : '',
    params: o.params,
    id: o.id === null ? undefined : o.id,
  };
  return { ok: true, request };
}

export function v2Result(id: unknown, result: unknown): V2Response {
  return id === undefined ? { jsonrpc: '2.0', result } : { jsonrpc: '2.0', id, result };
}

/** An error reply; `id` and `data` are omitted when absent. */
export function v2Error(id: unknown, code: number, message: string, data?: unknown): V2Response {
  const error = data === undefined ? { code, message } : { code, message, data };
  return id === undefined ? { jsonrpc: '2.0', error } : { jsonrpc: '2.0', id, error };
}

/** A method's failure, turned into an error reply by the dispatcher. */
export class V2Failure extends Error {
  readonly code: number;
  readonly data: unknown;

  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}
