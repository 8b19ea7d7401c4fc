import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { answerField, postJson, trimSlash } from './http.ts';
import { hostOf, needed, pathParts, webScheme } from './url-parts.ts';

/** Gotify (self-hosted push): POST /message with the application token (gotify.net/api-docs). */
export const gotify = defineNotifier({
  kind: 'gotify',
  komari: false,
  config: z.object({
    server_url: z.url().meta({ required: true, help: 'e.g. https://push.example.com' }),
    app_token: z.string().min(1).meta({ required: true, help: 'an application token' }),
    priority: z.number().int().min(0).max(10).default(5),
  }),
  secretFields: ['app_token'],
  async send(notice, cfg, ctx) {
    if (notice.text === '') throw new Error('message is empty');
    // The token goes in a header, not in ?token=, so it never sits in a proxy's access log.
    const res = await postJson(`${trimSlash(cfg.server_url)}/message`, { title: notice.title, message: notice.text, priority: cfg.priority }, ctx, {
      'x-gotify-key': cfg.app_token,
    });
    if (res.status >= 200 && res.status <= 299) return;
    const reason = answerField(res, 'errorDescription') ?? answerField(res, 'error');
    throw new Error(`gotify answered HTTP ${res.status}: ${typeof reason === 'string' ? reason : res.text}`);
  },
  url: {
    // gotify://host[:port][/path]/token (http), gotifys:// (https): the last segment is the token.
    schemes: ['gotify', 'gotifys'],
    parse(url) {
      const form = 'gotify://host/<app_token>';
      const parts = pathParts(url);
      const token = needed(parts.pop(), 'app token', form);
      const base = `${webScheme(url, 'gotify')}://${needed(hostOf(url), 'host', form)}`;
      const cfg: Record<string, unknown> = { server_url: parts.length ? `${base}/${parts.map(encodeURIComponent).join('/')}` : base, app_token: token };
      const priority = url.searchParams.get('priority');
      if (priority) cfg.priority = Number(priority);
      return cfg;
    },
  },
});
