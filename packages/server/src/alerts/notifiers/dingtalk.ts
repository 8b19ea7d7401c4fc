import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { postJson } from './http.ts';
import { expectErrcodeZero } from './errcode-answer.ts';
import { textWithTitle } from './text.ts';
import { hostOf, needed, pathParts } from './url-parts.ts';

/**
 * The "加签" signature of a DingTalk robot with a secret (open.dingtalk.com, custom robot security
 * settings): base64 HMAC-SHA256 keyed by the secret over `<timestamp ms>\n<secret>`.
 */
export function dingtalkSign(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** A DingTalk group robot. */
export const dingtalk = defineNotifier({
  kind: 'dingtalk',
  komari: false,
  config: z.object({
    endpoint: z.url().default('https://oapi.dingtalk.com/robot/send').meta({ required: true }),
    access_token: z.string().min(1).meta({ required: true, help: 'the access_token of the robot’s webhook URL' }),
    secret: z.string().optional().meta({ help: 'SEC… when the robot uses signing (加签)' }),
  }),
  secretFields: ['access_token', 'secret'],
  async send(notice, cfg, ctx) {
    const url = new URL(cfg.endpoint);
    url.searchParams.set('access_token', cfg.access_token);
    if (cfg.secret) {
      const timestamp = Date.now();
      url.searchParams.set('timestamp', String(timestamp));
      // URLSearchParams percent-encodes the base64 (`+`, `/`, `=`), as DingTalk requires.
      url.searchParams.set('sign', dingtalkSign(timestamp, cfg.secret));
    }
    const res = await postJson(url.href, { msgtype: 'text', text: { content: textWithTitle(notice) } }, ctx);
    expectErrcodeZero('dingtalk', res);
  },
  url: {
    // dingtalk://<access_token>[/<secret>] (Apprise)
    schemes: ['dingtalk'],
    parse(url) {
      const cfg: Record<string, unknown> = { access_token: needed(hostOf(url), 'access token', 'dingtalk://<access_token>[/<secret>]') };
      const secret = pathParts(url)[0];
      if (secret) cfg.secret = secret;
      return cfg;
    },
  },
});
