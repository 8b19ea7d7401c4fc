import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { answerField, postJson } from './http.ts';
import { cutText, textWithTitle } from './text.ts';
import { hostOf, needed, pathParts } from './url-parts.ts';

/** Discord refuses a message whose content is longer than this (discord.com/developers, Execute Webhook). */
const maxContent = 2000;

/** A Discord channel webhook. */
export const discord = defineNotifier({
  kind: 'discord',
  komari: false,
  config: z.object({
    webhook_url: z.url().meta({ required: true, help: 'https://discord.com/api/webhooks/<id>/<token>' }),
    username: z.string().optional().meta({ help: 'overrides the webhook’s name' }),
  }),
  secretFields: ['webhook_url'],
  async send(notice, cfg, ctx) {
    const body: Record<string, string> = { content: cutText(textWithTitle(notice), maxContent) };
    if (cfg.username) body.username = cfg.username;
    // 204 without ?wait=true; any 2xx is delivered.
    const res = await postJson(cfg.webhook_url, body, ctx);
    if (res.status >= 200 && res.status <= 299) return;
    const reason = answerField(res, 'message');
    throw new Error(`discord answered HTTP ${res.status}: ${typeof reason === 'string' ? reason : res.text}`);
  },
  url: {
    // discord://<webhook_id>/<webhook_token> (Apprise, Shoutrrr)
    schemes: ['discord'],
    parse(url) {
      const form = 'discord://<webhook_id>/<webhook_token>';
      const id = needed(hostOf(url), 'webhook id', form);
      const token = needed(pathParts(url)[0], 'webhook token', form);
      const cfg: Record<string, unknown> = { webhook_url: `https://discord.com/api/webhooks/${encodeURIComponent(id)}/${encodeURIComponent(token)}` };
      const name = url.searchParams.get('username') ?? url.searchParams.get('botname');
      if (name) cfg.username = name;
      return cfg;
    },
  },
});
