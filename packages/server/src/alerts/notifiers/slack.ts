import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { postJson } from './http.ts';
import { textWithTitle } from './text.ts';
import { hostOf, needed, pathParts } from './url-parts.ts';

/** A Slack incoming webhook (api.slack.com/messaging/webhooks). */
export const slack = defineNotifier({
  kind: 'slack',
  komari: false,
  config: z.object({
    webhook_url: z.url().meta({ required: true, help: 'https://hooks.slack.com/services/T…/B…/…' }),
  }),
  secretFields: ['webhook_url'],
  async send(notice, cfg, ctx) {
    const res = await postJson(cfg.webhook_url, { text: textWithTitle(notice) }, ctx);
    if (res.status >= 200 && res.status <= 299) return;
    // Slack answers its reason as plain text: `invalid_token`, `no_service`, `channel_not_found`.
    throw new Error(`slack answered HTTP ${res.status}: ${res.text}`);
  },
  url: {
    // slack://T…/B…/<secret> (Apprise) → the hooks.slack.com URL of those three parts.
    schemes: ['slack'],
    parse(url) {
      const form = 'slack://T…/B…/<token>';
      const [b, x] = pathParts(url);
      const parts = [needed(hostOf(url), 'team (T…)', form), needed(b, 'bot (B…)', form), needed(x, 'token', form)];
      return { webhook_url: `https://hooks.slack.com/services/${parts.map(encodeURIComponent).join('/')}` };
    },
  },
});
