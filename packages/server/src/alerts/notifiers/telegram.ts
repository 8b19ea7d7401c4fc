import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { answerField, postForm } from './http.ts';
import { hostOf, needed, pathParts } from './url-parts.ts';

/**
 * komari-ts deviation: Komari sends title and message into parse_mode=HTML unescaped, so a `<` in
 * a node name makes Telegram refuse the whole message ("can't parse entities"). Escaping the three
 * characters Telegram's HTML mode reserves keeps the `<b>` title and delivers any text.
 */
function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Telegram Bot API, Komari's `telegram` sender (notifications.md §2.1). */
export const telegram = defineNotifier({
  kind: 'telegram',
  komari: true,
  config: z.object({
    bot_token: z.string().min(1).meta({ required: true, help: 'from @BotFather, e.g. 123456:ABC-DEF…' }),
    chat_id: z.string().min(1).meta({ required: true, help: 'user, group or channel id (groups start with -100)' }),
    message_thread_id: z.string().optional().meta({ help: 'forum topic id (supergroups)' }),
    endpoint: z.string().min(1).default('https://api.telegram.org/bot').meta({ required: true, help: 'custom API base (proxy); the bot token is appended' }),
  }),
  secretFields: ['bot_token'],
  async send(notice, cfg, ctx) {
    if (notice.text === '' && notice.title === '') throw new Error('message is empty');
    const text = notice.title ? `<b>${escapeHtml(notice.title)}</b>\n${escapeHtml(notice.text)}` : escapeHtml(notice.text);
    const res = await postForm(
      `${cfg.endpoint}${cfg.bot_token}/sendMessage`,
      { chat_id: cfg.chat_id, text, parse_mode: 'HTML', message_thread_id: cfg.message_thread_id || undefined },
      ctx,
    );
    if (res.status === 200 && answerField(res, 'ok') === true) return;
    // Telegram's own reason ("Bad Request: chat not found"); never the URL, which holds the token.
    const description = answerField(res, 'description');
    throw new Error(`telegram answered HTTP ${res.status}: ${typeof description === 'string' ? description : res.text}`);
  },
  url: {
    // tgram://<bot_token>/<chat_id>[?thread=<topic id>] (Apprise). The token's `:` is not a port:
    // channel-url.ts escapes it before parsing.
    schemes: ['tgram'],
    parse(url) {
      const form = 'tgram://<bot_token>/<chat_id>';
      const cfg: Record<string, unknown> = { bot_token: needed(hostOf(url), 'bot token', form), chat_id: needed(pathParts(url)[0], 'chat id', form) };
      const thread = url.searchParams.get('thread') ?? url.searchParams.get('topic');
      if (thread) cfg.message_thread_id = thread;
      return cfg;
    },
  },
});
