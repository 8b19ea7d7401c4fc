/** How requests to an identity provider are bounded (limits.oauth). */
export interface ProviderHttpLimits {
  fetchTimeoutMs: number;
  maxResponseBytes: number;
}

/** Replaces every non-empty secret in a message, so errors never carry a client secret or app key. */
export function maskSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  for (const s of secrets) if (s) out = out.split(encodeURIComponent(s)).join('***');
  return out;
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new Error(`response larger than ${maxBytes} bytes`);
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`response larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * One request to a provider that must answer JSON: time-bounded, size-bounded, never following a
 * redirect to somewhere else. A non-2xx answer or a body that is not JSON is an error.
 */
export async function fetchJson(url: string, init: RequestInit, limits: ProviderHttpLimits): Promise<unknown> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers, redirect: 'error', signal: AbortSignal.timeout(limits.fetchTimeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new Error(`request to ${new URL(url).origin} failed: ${(err as Error).message}${cause ? ` (${cause})` : ''}`, { cause: err });
  }
  const text = await readBounded(res, limits.maxResponseBytes);
  if (!res.ok) throw new Error(`${new URL(url).origin} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${new URL(url).origin} answered something that is not JSON: ${text.slice(0, 200)}`);
  }
}

/** The JSON object an answer must be; anything else is an error naming what was asked. */
export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

/** The access token of an OAuth 2 token answer, or its error (RFC 6749 §5.2) as the failure. */
export function accessTokenOf(answer: unknown): string {
  const token = asObject(answer, 'the token answer');
  if (typeof token.access_token !== 'string' || token.access_token === '') {
    throw new Error(`no access token: ${String(token.error_description ?? token.error ?? 'empty answer')}`);
  }
  return token.access_token;
}
