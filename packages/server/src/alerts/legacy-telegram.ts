import type { BusEvents } from '../bus/events.ts';
import type { AlertService } from './alert-service.ts';
import { readAddition } from './sender-rows.ts';

/**
 * Komari 0.0.x's notification page edits `telegram_enabled`, `telegram_bot_token`,
 * `telegram_chat_id` and `telegram_endpoint` as settings (notifications.md §12): they are carried
 * onto the `telegram` sender's config, and `telegram_enabled: true` makes it the active sender,
 * so that page still works. The keys themselves stay stored as sent.
 */
export async function applyLegacyTelegram(alerts: AlertService, e: BusEvents['settings.changed']): Promise<void> {
  const v = e.values;
  const fields: Record<string, string> = {};
  if (typeof v.telegram_bot_token === 'string') fields.bot_token = v.telegram_bot_token;
  if (typeof v.telegram_chat_id === 'string') fields.chat_id = v.telegram_chat_id;
  if (typeof v.telegram_endpoint === 'string') fields.endpoint = v.telegram_endpoint;
  const { store, settings } = alerts.app;
  if (Object.keys(fields).length > 0) {
    const old = readAddition(await store.alerts.senderConfig('telegram'));
    await store.alerts.setSenderConfig({ name: 'telegram', addition: JSON.stringify({ ...old, ...fields }) });
  }
  if (v.telegram_enabled === true) await settings.update({ notification_method: 'telegram' });
}
