import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { answerField, expectOk, postJson } from './http.ts';
import { hostOf, needed } from './url-parts.ts';

/** PushPlus (pushplus.plus, WeChat push). */
export const pushplus = defineNotifier({
  kind: 'pushplus',
  komari: false,
  config: z.object({
    endpoint: z.url().default('https://www.pushplus.plus/send').meta({ required: true }),
    token: z.string().min(1).meta({ required: true, help: 'user token' }),
    topic: z.string().optional().meta({ help: 'group code, for one-to-many push' }),
    template: z.enum(['txt', 'html', 'markdown', 'json']).default('txt'),
  }),
  secretFields: ['token'],
  async send(notice, cfg, ctx) {
    if (notice.text === '') throw new Error('message is empty');
    const body: Record<string, string> = { token: cfg.token, title: notice.title, content: notice.text, template: cfg.template };
    if (cfg.topic) body.topic = cfg.topic;
    const res = await postJson(cfg.endpoint, body, ctx);
    expectOk('pushplus', res);
    // PushPlus answers HTTP 200 with `code` 200 when accepted, another code and `msg` when not.
    const code = answerField(res, 'code');
    if (code === 200) return;
    const reason = answerField(res, 'msg');
    throw new Error(`pushplus answered code ${String(code)}: ${typeof reason === 'string' ? reason : res.text}`);
  },
  url: {
    // pushplus://<token> (Apprise)
    schemes: ['pushplus'],
    parse(url) {
      const cfg: Record<string, unknown> = { token: needed(hostOf(url), 'token', 'pushplus://<token>') };
      const topic = url.searchParams.get('topic');
      if (topic) cfg.topic = topic;
      return cfg;
    },
  },
});
