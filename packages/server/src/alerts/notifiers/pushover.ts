import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { answerField, postForm } from './http.ts';
import { decoded, hostOf, needed } from './url-parts.ts';

/** Pushover (pushover.net/api): a form POST; the answer's `status` is 1 when accepted. */
export const pushover = defineNotifier({
  kind: 'pushover',
  komari: false,
  config: z.object({
    endpoint: z.url().default('https://api.pushover.net/1/messages.json').meta({ required: true }),
    token: z.string().min(1).meta({ required: true, help: 'application API token' }),
    user: z.string().min(1).meta({ required: true, help: 'user or group key' }),
    // 2 (emergency) needs retry/expire parameters: not offered.
    priority: z.enum(['-2', '-1', '0', '1']).optional().meta({ help: '-2 lowest … 1 high; empty: 0' }),
    sound: z.string().optional(),
  }),
  secretFields: ['token', 'user'],
  async send(notice, cfg, ctx) {
    if (notice.text === '') throw new Error('message is empty');
    const res = await postForm(
      cfg.endpoint,
      { token: cfg.token, user: cfg.user, title: notice.title || undefined, message: notice.text, priority: cfg.priority, sound: cfg.sound || undefined },
      ctx,
    );
    if (res.status === 200 && answerField(res, 'status') === 1) return;
    // Refusals are 4xx with `errors: ["application token is invalid", …]`.
    const errors = answerField(res, 'errors');
    const reason = Array.isArray(errors) ? errors.map(String).join('; ') : res.text;
    throw new Error(`pushover answered HTTP ${res.status}: ${reason}`);
  },
  url: {
    // pover://<user_key>@<app_token> (Apprise)
    schemes: ['pover'],
    parse(url) {
      const form = 'pover://<user_key>@<app_token>';
      const cfg: Record<string, unknown> = { user: needed(decoded(url.username), 'user key', form), token: needed(hostOf(url), 'app token', form) };
      const priority = url.searchParams.get('priority');
      if (priority) cfg.priority = priority;
      const sound = url.searchParams.get('sound');
      if (sound) cfg.sound = sound;
      return cfg;
    },
  },
});
