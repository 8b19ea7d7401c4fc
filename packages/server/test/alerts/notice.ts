import { sendableConfigOf } from '../../src/alerts/notifiers/config.ts';
import type { Notice, NotifierDef } from '../../src/alerts/notifiers/types.ts';

/** 2026-08-01T09:30:12.123Z */
export const eventTime = Date.UTC(2026, 7, 1, 9, 30, 12, 123);

/** An offline notice for a node whose name has the characters that break naive senders. */
export function offlineNotice(text = '🔴🔴🔴\nEvent: Offline\nClients: hk<1> & "tokyo"\nMessage: \nTime: 2026-08-01T09:30:12Z'): Notice {
  return {
    title: 'Offline',
    text,
    event: { event: 'Offline', emoji: '🔴', message: '', time: eventTime, clients: [{ uuid: 'u-1', name: 'hk<1> & "tokyo"' }, { uuid: 'u-2', name: '' }] },
  };
}

/** One send as the dispatcher makes it: the stored row through sendableConfigOf, a 10 s deadline. */
export function sendVia(def: NotifierDef, config: Record<string, unknown>, notice: Notice = offlineNotice(), timeoutMs = 10_000): Promise<void> {
  return def.send(notice, sendableConfigOf(def, config), { signal: AbortSignal.timeout(timeoutMs), timeoutMs });
}
