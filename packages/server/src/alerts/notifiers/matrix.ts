import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineNotifier } from './types.ts';
import { answerField, request, trimSlash } from './http.ts';
import { textWithTitle } from './text.ts';
import { decoded, hostOf, needed, pathParts, webScheme } from './url-parts.ts';

/** A Matrix room, through the client-server API (spec.matrix.org, v3 send event). */
export const matrix = defineNotifier({
  kind: 'matrix',
  komari: false,
  config: z.object({
    homeserver: z.url().meta({ required: true, help: 'e.g. https://matrix.org' }),
    access_token: z.string().min(1).meta({ required: true, help: 'the sending account’s access token' }),
    room_id: z.string().min(1).meta({ required: true, help: '!id:server (the bot must have joined it)' }),
  }),
  secretFields: ['access_token'],
  async send(notice, cfg, ctx) {
    // A fresh transaction id per delivery: the homeserver drops a repeat of the same id, and each
    // of the dispatcher's retries is a new attempt at a message that did not arrive.
    const txn = randomUUID();
    const url = `${trimSlash(cfg.homeserver)}/_matrix/client/v3/rooms/${encodeURIComponent(cfg.room_id)}/send/m.room.message/${txn}`;
    const res = await request(
      url,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.access_token}` },
        body: JSON.stringify({ msgtype: 'm.text', body: textWithTitle(notice) }),
      },
      ctx,
    );
    if (res.status >= 200 && res.status <= 299 && typeof answerField(res, 'event_id') === 'string') return;
    const reason = answerField(res, 'error');
    throw new Error(`matrix answered HTTP ${res.status}: ${typeof reason === 'string' ? reason : res.text}`);
  },
  url: {
    // matrix://<token>@host[:port]/<room> (http), matrixs:// (https). An alias's `#` starts the
    // URL's fragment, so `matrixs://tok@host/#room:server` is read as the alias too.
    schemes: ['matrix', 'matrixs'],
    parse(url) {
      const form = 'matrixs://<access_token>@host/<room_id>';
      const room = pathParts(url)[0] ?? (url.hash.length > 1 ? decoded(url.hash) : undefined);
      return {
        homeserver: `${webScheme(url, 'matrix')}://${needed(hostOf(url), 'homeserver', form)}`,
        access_token: needed(decoded(url.username), 'access token', form),
        room_id: needed(room, 'room', form),
      };
    },
  },
});
