import { z } from 'zod';
import { defineNotifier, type Notice } from './types.ts';
import { expectOk, request } from './http.ts';
import { clientNames } from './text.ts';
import { decoded, hostOf, pathParts, webScheme } from './url-parts.ts';

const defaultBody = '{"message":"{{message}}","title":"{{title}}"}';

/** Komari's JSON escaping for a substituted value: `\uXXXX` for `"`, `\` and control characters. */
function jsonEscape(s: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
  return s.replace(/["\\\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}

/**
 * `{{message}}` and `{{title}}` as in Komari, and beyond Komari `{{event}}`, `{{emoji}}`,
 * `{{clients}}`, `{{time}}` (ISO 8601, UTC). One pass over the template, so a message that itself
 * contains `{{title}}` is not expanded again; unknown placeholders stay as they are.
 */
function fill(template: string, notice: Notice, escape: (s: string) => string): string {
  const values: Record<string, string> = {
    message: notice.text,
    title: notice.title,
    event: notice.event.event,
    emoji: notice.event.emoji,
    clients: clientNames(notice),
    time: new Date(notice.event.time).toISOString(),
  };
  return template.replace(/\{\{(\w+)\}\}/g, (all, name: string) => (name in values ? escape(values[name]!) : all));
}

/** The `headers` field: a JSON object of strings, or nothing (Komari ignores invalid JSON). */
function extraHeaders(json: string | undefined): Record<string, string> {
  if (!json) return {};
  try {
    const v: unknown = JSON.parse(json);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
    const entries = Object.entries(v as Record<string, unknown>);
    return entries.every(([, x]) => typeof x === 'string') ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
}

/** Any HTTP endpoint, Komari's `webhook` sender (notifications.md §2.3). */
export const webhook = defineNotifier({
  kind: 'webhook',
  komari: true,
  config: z.object({
    url: z.string().min(1).meta({ required: true, help: 'GET: {{message}}, {{title}}, {{event}}, {{emoji}}, {{clients}}, {{time}} are filled in' }),
    method: z.enum(['POST', 'GET']).default('GET'),
    content_type: z.string().default('application/json').meta({ help: 'POST only' }),
    headers: z.string().optional().meta({ help: 'JSON object, e.g. {"X-Key":"value"}' }),
    body: z.string().default(defaultBody).meta({ help: 'POST body template' }),
    username: z.string().optional().meta({ help: 'HTTP Basic auth, used when password is set too' }),
    password: z.string().optional(),
  }),
  secretFields: ['password', 'headers'],
  async send(notice, cfg, ctx) {
    const headers = extraHeaders(cfg.headers);
    if (cfg.username && cfg.password) headers.authorization = `Basic ${Buffer.from(`${cfg.username}:${cfg.password}`).toString('base64')}`;
    let url: string;
    const init: RequestInit = { method: cfg.method, headers };
    if (cfg.method === 'GET') {
      // komari-ts deviation: Komari substitutes raw values, so a message with `&`, `#` or a space
      // cuts the query short or breaks the URL. Encoded values arrive as the text that was sent.
      url = fill(cfg.url, notice, encodeURIComponent);
    } else {
      url = fill(cfg.url, notice, (s) => s);
      const json = cfg.content_type.toLowerCase().includes('application/json');
      headers['content-type'] = cfg.content_type;
      init.body = fill(cfg.body, notice, json ? jsonEscape : (s) => s);
    }
    if (!URL.canParse(url)) throw new Error('webhook url is not a valid URL');
    expectOk('webhook', await request(url, init, ctx));
  },
  url: {
    // json://[user:pass@]host[:port]/path[?+Header=value] (Apprise): a POST of Komari's default
    // JSON body; jsons:// for https. Other query parameters stay in the target URL.
    schemes: ['json', 'jsons'],
    parse(url) {
      // Read the raw query: URLSearchParams would turn the leading `+` of a header into a space.
      const headers: Record<string, string> = {};
      const kept: string[] = [];
      for (const part of url.search.slice(1).split('&').filter((p) => p !== '')) {
        const eq = part.indexOf('=');
        const [k, v] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
        if (k.startsWith('+') && k.length > 1) headers[decoded(k.slice(1))] = decoded(v.replace(/\+/g, ' '));
        else kept.push(part);
      }
      const path = pathParts(url).map(encodeURIComponent).join('/');
      const q = kept.join('&');
      const cfg: Record<string, unknown> = {
        url: `${webScheme(url, 'json')}://${hostOf(url)}/${path}${q ? `?${q}` : ''}`,
        method: 'POST',
        content_type: 'application/json',
      };
      if (!url.hostname) throw new Error('the host is missing: json://host/path');
      if (Object.keys(headers).length) cfg.headers = JSON.stringify(headers);
      if (url.username) cfg.username = decoded(url.username);
      if (url.password) cfg.password = decoded(url.password);
      return cfg;
    },
  },
});
