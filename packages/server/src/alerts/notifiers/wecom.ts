import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { postJson } from './http.ts';
import { expectErrcodeZero } from './errcode-answer.ts';
import { textWithTitle } from './text.ts';
import { hostOf, needed } from './url-parts.ts';

/** A WeCom (企业微信) group robot (developer.work.weixin.qq.com, 群机器人). */
export const wecom = defineNotifier({
  kind: 'wecom',
  komari: false,
  config: z.object({
    webhook_url: z.url().meta({ required: true, help: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' }),
  }),
  secretFields: ['webhook_url'],
  async send(notice, cfg, ctx) {
    const res = await postJson(cfg.webhook_url, { msgtype: 'text', text: { content: textWithTitle(notice) } }, ctx);
    expectErrcodeZero('wecom', res);
  },
  url: {
    // wecombot://<key> (Apprise)
    schemes: ['wecombot'],
    parse(url) {
      const key = needed(hostOf(url), 'robot key', 'wecombot://<key>');
      return { webhook_url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${encodeURIComponent(key)}` };
    },
  },
});
