import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { answerField, postJson, trimSlash } from './http.ts';
import { decoded, hostOf, pathParts, webScheme } from './url-parts.ts';

/**
 * ntfy (ntfy.sh or self-hosted). Published as JSON to the server root (docs.ntfy.sh/publish,
 * "Publish as JSON") rather than with Title/Tags headers: header values must be Latin-1 in fetch,
 * and a title or tag with an emoji or a CJK node name would not fit.
 */
export const ntfy = defineNotifier({
  kind: 'ntfy',
  komari: false,
  config: z.object({
    server_url: z.url().default('https://ntfy.sh').meta({ required: true }),
    topic: z.string().min(1).meta({ required: true }),
    token: z.string().optional().meta({ help: 'access token (tk_…) for a protected topic' }),
    priority: z.enum(['1', '2', '3', '4', '5']).optional().meta({ help: '1 min … 5 max; empty: the server default (3)' }),
    tags: z.string().optional().meta({ help: 'comma-separated tags or emoji short codes' }),
  }),
  secretFields: ['token'],
  async send(notice, cfg, ctx) {
    if (notice.text === '') throw new Error('message is empty');
    const body: Record<string, unknown> = { topic: cfg.topic, message: notice.text };
    if (notice.title) body.title = notice.title;
    if (cfg.priority) body.priority = Number(cfg.priority);
    const tags = (cfg.tags ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
    if (tags.length) body.tags = tags;
    const res = await postJson(`${trimSlash(cfg.server_url)}/`, body, ctx, cfg.token ? { authorization: `Bearer ${cfg.token}` } : {});
    if (res.status >= 200 && res.status <= 299) return;
    const reason = answerField(res, 'error');
    throw new Error(`ntfy answered HTTP ${res.status}: ${typeof reason === 'string' ? reason : res.text}`);
  },
  url: {
    // ntfy://[token@]host/topic (http), ntfys:// (https); ntfy://topic alone means ntfy.sh.
    schemes: ['ntfy', 'ntfys'],
    parse(url) {
      const parts = pathParts(url);
      const cfg: Record<string, unknown> =
        parts.length === 0
          ? { server_url: 'https://ntfy.sh', topic: hostOf(url) }
          : { server_url: `${webScheme(url, 'ntfy')}://${hostOf(url)}`, topic: parts.join('/') };
      if (!cfg.topic) throw new Error('the topic is missing: ntfy://[token@]host/topic');
      if (url.username) cfg.token = decoded(url.username);
      const priority = url.searchParams.get('priority');
      if (priority) cfg.priority = priority;
      const tags = url.searchParams.get('tags');
      if (tags) cfg.tags = tags;
      return cfg;
    },
  },
});
