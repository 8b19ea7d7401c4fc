import type { SendContext } from './types.ts';

/** What a chat service answered: status, body text (cut to 2 KiB for messages), JSON when it parses. */
export interface ServiceAnswer {
  status: number;
  text: string;
  json: unknown;
}

const maxAnswerChars = 2048;

/**
 * One HTTP request to a channel's service, ended by the delivery's signal. The answer's body is
 * read whole but kept short in messages: a service that answers with a page of HTML does not fill
 * the alert history.
 */
export async function request(url: string, init: RequestInit, ctx: SendContext): Promise<ServiceAnswer> {
  const res = await fetch(url, { ...init, signal: ctx.signal, redirect: 'error' });
  const raw = await res.text();
  let json: unknown;
  try {
    json = raw === '' ? undefined : JSON.parse(raw);
  } catch {
    json = undefined;
  }
  return { status: res.status, text: raw.length > maxAnswerChars ? `${raw.slice(0, maxAnswerChars)}…` : raw, json };
}

export function postJson(url: string, body: unknown, ctx: SendContext, headers: Record<string, string> = {}): Promise<ServiceAnswer> {
  return request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }, ctx);
}

/** 2xx, else an Error naming the service, the status and its answer. */
export function expectOk(service: string, res: ServiceAnswer): void {
  if (res.status < 200 || res.status > 299) throw new Error(`${service} answered HTTP ${res.status}: ${res.text}`);
}
