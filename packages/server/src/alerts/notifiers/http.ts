import type { SendContext } from './types.ts';

/** What a chat service answered: status, body text (cut to 2 KiB for messages), JSON when it parses. */
export interface ServiceAnswer {
  status: number;
  text: string;
  json: unknown;
}

const maxAnswerChars = 2048;

/**
 * Why a fetch failed, without the URL: many channels carry their token in the URL (Telegram's
 * `bot<token>`, DingTalk's `access_token=`), and fetch's own messages quote it ("Failed to parse
 * URL from …"). The cause's code (ECONNREFUSED, ENOTFOUND) is what an admin can act on.
 */
function fetchFailure(err: unknown, ctx: SendContext): Error {
  if (ctx.signal.aborted) return new Error(`no answer within ${ctx.timeoutMs / 1000} s`);
  const e = err as { name?: string; message?: string; cause?: { code?: unknown; message?: unknown } };
  if (e.name === 'TypeError' && e.message?.startsWith('Failed to parse URL')) return new Error('the service URL is not a valid URL');
  const cause = e.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code) return new Error(`request failed: ${code}`);
  return new Error('request failed: could not reach the service');
}

/**
 * One HTTP request to a channel's service, ended by the delivery's signal. The answer's body is
 * read whole but kept short in messages: a service that answers with a page of HTML does not fill
 * the alert history.
 */
export async function request(url: string, init: RequestInit, ctx: SendContext): Promise<ServiceAnswer> {
  // fetch also answers `data:` and `blob:` URLs itself: a channel pointed at one would count as
  // delivered without anything leaving the server.
  const scheme = URL.canParse(url) ? new URL(url).protocol : 'http:';
  if (scheme !== 'http:' && scheme !== 'https:') throw new Error('the service URL must start with http:// or https://');
  let raw: string;
  let status: number;
  try {
    const res = await fetch(url, { ...init, signal: ctx.signal, redirect: 'error' });
    status = res.status;
    raw = await res.text();
  } catch (err) {
    throw fetchFailure(err, ctx);
  }
  let json: unknown;
  try {
    json = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    json = undefined;
  }
  return { status, text: raw.length > maxAnswerChars ? `${raw.slice(0, maxAnswerChars)}…` : raw, json };
}

export function postJson(url: string, body: unknown, ctx: SendContext, headers: Record<string, string> = {}): Promise<ServiceAnswer> {
  return request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }, ctx);
}

/** An `application/x-www-form-urlencoded` POST (Telegram, Pushover); undefined fields are left out. */
export function postForm(url: string, fields: Record<string, string | undefined>, ctx: SendContext): Promise<ServiceAnswer> {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.set(k, v);
  return request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, ctx);
}

/** 2xx, else an Error naming the service, the status and its answer. */
export function expectOk(service: string, res: ServiceAnswer): void {
  if (res.status < 200 || res.status > 299) throw new Error(`${service} answered HTTP ${res.status}: ${res.text}`);
}

/** One field of a JSON object answer, or undefined (the answer may be anything). */
export function answerField(res: ServiceAnswer, name: string): unknown {
  const j = res.json;
  return j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, unknown>)[name] : undefined;
}

/** A base URL without its trailing slashes, so `<base>/path` never doubles them. */
export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
