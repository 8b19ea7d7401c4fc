// The one way the UI talks to the server: Komari's REST envelope ({status, message, data}) and
// JSON-RPC 2.0 at /api/rpc2. Errors become ApiError with the HTTP status and the server's message.

export class ApiError extends Error {
  readonly status: number;
  readonly code: number | undefined;
  constructor(status: number, message: string, code?: number) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

interface Envelope<T> {
  status?: string;
  message?: string;
  error?: string;
  data?: T;
}

export async function readEnvelope<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: Envelope<T> | undefined;
  try {
    body = text ? (JSON.parse(text) as Envelope<T>) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok || body?.status === 'error') {
    throw new ApiError(res.status, body?.message || body?.error || text || res.statusText);
  }
  return (body && typeof body === 'object' && 'data' in body ? body.data : body) as T;
}

/** GET a REST route; resolves to the envelope's `data`. */
export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return readEnvelope<T>(await fetch(path, { credentials: 'same-origin', signal }));
}

/** POST (or another method) with a JSON body; resolves to the envelope's `data`. */
export async function apiSend<T>(path: string, body?: unknown, method = 'POST'): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  return readEnvelope<T>(await fetch(path, init));
}

let rpcId = 0;

/** One JSON-RPC call over POST /api/rpc2. */
export async function rpc<T>(method: string, params?: unknown): Promise<T> {
  const res = await fetch('/api/rpc2', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method, params, id: ++rpcId }),
  });
  const body = (await res.json()) as { result?: T; error?: { code: number; message: string } };
  if (body.error) throw new ApiError(res.status, body.error.message, body.error.code);
  return body.result as T;
}

/** ws:// or wss:// URL for a path on this origin. */
export function socketUrl(path: string): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
}
