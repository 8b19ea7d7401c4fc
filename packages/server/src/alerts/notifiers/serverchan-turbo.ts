import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { postJson } from './http.ts';
import { expectServerChanOk, titleAndDesp } from './serverchan-answer.ts';
import { hostOf, needed } from './url-parts.ts';

/** ServerChan Turbo (sct.ftqq.com), Komari's `Server酱Turbo` sender (notifications.md §2.6). */
export const serverChanTurbo = defineNotifier({
  kind: 'Server酱Turbo',
  komari: true,
  config: z.object({
    api_url: z.url().meta({ required: true, help: 'https://sctapi.ftqq.com/<sendkey>.send' }),
    channel: z.string().optional().meta({ help: 'message channels, e.g. 9|66' }),
    noip: z.string().optional().meta({ help: '1 hides the caller IP' }),
    openid: z.string().optional().meta({ help: 'openids to copy, comma-separated' }),
  }),
  secretFields: ['api_url'],
  async send(notice, cfg, ctx) {
    const body: Record<string, string> = titleAndDesp(notice.title, notice.text);
    if (cfg.channel) body.channel = cfg.channel;
    // Komari forwards noip only as "1"; any other value means "show the IP".
    if (cfg.noip === '1') body.noip = '1';
    if (cfg.openid) body.openid = cfg.openid;
    expectServerChanOk(await postJson(cfg.api_url, body, ctx));
  },
  url: {
    // schan://<sendkey> (Apprise) → the Turbo API URL for that key.
    schemes: ['schan'],
    parse(url) {
      const key = needed(hostOf(url), 'send key', 'schan://<sendkey>');
      return { api_url: `https://sctapi.ftqq.com/${encodeURIComponent(key)}.send` };
    },
  },
});
