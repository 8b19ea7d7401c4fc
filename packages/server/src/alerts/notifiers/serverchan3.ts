import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { postJson } from './http.ts';
import { expectServerChanOk, titleAndDesp } from './serverchan-answer.ts';

/** ServerChan 3 (sc3.ft07.com), Komari's `Server酱³` sender (notifications.md §2.5). */
export const serverChan3 = defineNotifier({
  kind: 'Server酱³',
  komari: true,
  config: z.object({
    api_url: z.url().meta({ required: true, help: 'https://<uid>.push.ft07.com/send/<sendkey>.send' }),
    tags: z.string().optional().meta({ help: 'tags separated by |' }),
  }),
  // The send key is part of the URL.
  secretFields: ['api_url'],
  async send(notice, cfg, ctx) {
    const body: Record<string, string> = titleAndDesp(notice.title, notice.text);
    const tags = (cfg.tags ?? '').split('|').map((t) => t.trim()).filter((t) => t !== '');
    if (tags.length) body.tags = tags.join('|');
    expectServerChanOk(await postJson(cfg.api_url, body, ctx));
  },
});
