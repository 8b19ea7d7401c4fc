import { z } from 'zod';
import { defineNotifier, PermanentSendError } from './types.ts';

/** Komari's `empty` sender: the placeholder kind that refuses every send (notifications.md §2.8). */
export const empty = defineNotifier({
  kind: 'empty',
  komari: true,
  config: z.object({}),
  secretFields: [],
  send() {
    return Promise.reject(new PermanentSendError('you are using an empty message sender, please check your configuration'));
  },
});
