import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { answerField, expectOk, postJson } from './http.ts';
import { textWithTitle } from './text.ts';
import { hostOf, needed, pathParts } from './url-parts.ts';

/**
 * Feishu/Lark's custom-bot signature (open.feishu.cn, 自定义机器人 签名校验): unlike DingTalk, the
 * key is `<timestamp s>\n<secret>` and the signed message is empty.
 */
export function feishuSign(timestampS: number, secret: string): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64');
}

/** A Feishu (Lark) group custom bot. */
export const feishu = defineNotifier({
  kind: 'feishu',
  komari: false,
  config: z.object({
    webhook_url: z.url().meta({ required: true, help: 'https://open.feishu.cn/open-apis/bot/v2/hook/…' }),
    secret: z.string().optional().meta({ help: 'when the bot uses signature verification' }),
  }),
  secretFields: ['webhook_url', 'secret'],
  async send(notice, cfg, ctx) {
    const body: Record<string, unknown> = { msg_type: 'text', content: { text: textWithTitle(notice) } };
    if (cfg.secret) {
      const timestamp = Math.floor(Date.now() / 1000);
      body.timestamp = String(timestamp);
      body.sign = feishuSign(timestamp, cfg.secret);
    }
    const res = await postJson(cfg.webhook_url, body, ctx);
    expectOk('feishu', res);
    // Current answers carry `code`; older ones `StatusCode`. Either 0 is success.
    const code = answerField(res, 'code') ?? answerField(res, 'StatusCode');
    if (code === 0) return;
    const reason = answerField(res, 'msg') ?? answerField(res, 'StatusMessage');
    throw new Error(`feishu answered code ${String(code)}: ${typeof reason === 'string' ? reason : res.text}`);
  },
  url: {
    // feishu://<token>[/<secret>] (Apprise) → the open.feishu.cn hook of that token.
    schemes: ['feishu'],
    parse(url) {
      const token = needed(hostOf(url), 'bot token', 'feishu://<token>[/<secret>]');
      const cfg: Record<string, unknown> = { webhook_url: `https://open.feishu.cn/open-apis/bot/v2/hook/${encodeURIComponent(token)}` };
      const secret = pathParts(url)[0];
      if (secret) cfg.secret = secret;
      return cfg;
    },
  },
});
