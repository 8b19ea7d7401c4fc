import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { defineMethod, noParams, type MethodDef } from '../../rpc/registry.ts';
import type { DeliveryResult } from '../store/types.ts';

/** "name: error; name: error" of the failed results; "" when every channel took it. */
export function failuresOf(results: readonly DeliveryResult[]): string {
  return results
    .filter((r) => !r.ok)
    .map((r) => (results.length > 1 ? `${r.channel}: ${r.error}` : r.error))
    .join('; ');
}

const sendParams = z.object({
  event: z
    .object({
      event: z.string().max(64).optional(),
      message: z.string().max(16 * 1024).nullable().optional(),
      emoji: z.string().max(32).nullable().optional(),
      clients: z.array(z.object({ uuid: z.string().max(64) })).max(10_000).optional(),
      time: z.string().optional(),
    })
    .optional(),
});

/** notifications.md §10: the test send and ad-hoc notifications. */
export const sendMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:testSendMessage',
    summary: 'Send a test message through every enabled channel',
    params: noParams,
    handler: async (_p, { app }) => {
      const out = await app.alerts.notify({ kind: 'test', event: 'Test', emoji: '', message: 'This is a test message from Komari.', nodes: [], direct: true });
      const failed = failuresOf(out.results);
      if (failed) throw AppError.internal(`Failed to send message: ${failed}`);
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:sendNotification',
    summary: 'Send an event of your own: {event: {event, message, emoji, clients: [{uuid}]}}',
    params: sendParams,
    namedOnly: true,
    handler: async ({ event }, { app }) => {
      if (!event?.event) throw AppError.invalidParams('event is required');
      const wanted = (event.clients ?? []).map((c) => c.uuid);
      const known = await app.alerts.nodeNames(wanted);
      if (wanted.length > 0 && known.length === 0) throw AppError.internal('Failed to send notification: none of the specified clients exist');
      const out = await app.alerts.notify({
        kind: 'custom',
        event: event.event,
        emoji: event.emoji ?? '',
        message: event.message ?? '',
        nodes: known.map((n) => n.uuid),
        direct: true,
      });
      const failed = failuresOf(out.results);
      if (failed) throw AppError.internal(`Failed to send notification: ${failed}`);
      return undefined;
    },
  }),
];
