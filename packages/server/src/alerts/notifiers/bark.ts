import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { postJson } from './http.ts';

/** Bark (iOS push), Komari's `bark` sender (notifications.md §2.4). */
export const bark = defineNotifier({
  kind: 'bark',
  komari: true,
  config: z.object({
    server_url: z.url().default('https://api.day.app').meta({ required: true }),
    device_key: z.string().min(1).meta({ required: true }),
    icon: z.string().optional().meta({ help: 'URL or icon name' }),
    level: z.enum(['active', 'timeSensitive', 'passive', 'critical']).default('timeSensitive'),
  }),
  secretFields: ['device_key'],
  async send(notice, cfg, ctx) {
    if (notice.text === '') throw new Error('message is empty');
    const body: Record<string, string> = { body: notice.text, device_key: cfg.device_key };
    if (notice.title) body.title = notice.title;
    if (cfg.icon) body.icon = cfg.icon;
    if (cfg.level) body.level = cfg.level;
    const res = await postJson(`${cfg.server_url.replace(/\/+$/, '')}/push`, body, ctx);
    if (res.status !== 200) throw new Error(`bark answered HTTP ${res.status}: ${res.text}`);
    // A 200 that is not JSON counts as delivered, as in Komari.
    const code = (res.json as { code?: unknown } | undefined)?.code;
    if (code !== undefined && code !== 200) throw new Error(`bark answered code ${String(code)}: ${res.text}`);
  },
  url: {
    // bark://device_key@host[/path]  barks:// for https
    schemes: ['bark', 'barks'],
    parse(url) {
      const key = decodeURIComponent(url.username);
      if (!key) throw new Error('the device key goes before the @: bark://<device_key>@host');
      const scheme = url.protocol === 'bark:' ? 'http' : 'https';
      return { device_key: key, server_url: `${scheme}://${url.host}${url.pathname.replace(/\/+$/, '')}` };
    },
  },
});
