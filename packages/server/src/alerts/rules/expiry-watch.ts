import type { AlertService } from '../alert-service.ts';
import { localDate } from '../template.ts';
import { addCycles } from './billing-cycle.ts';

const dayMs = 86_400_000;
/** the setting under which the last reminder's local date is kept, so a restart does not send twice */
const lastRunKey = 'expire_notification_last_run';

/** Local calendar days from `from` to `to` (date boundaries crossed). */
function calendarDaysBetween(from: number, to: number): number {
  const a = new Date(from);
  const b = new Date(to);
  const da = Date.UTC(a.getFullYear(), a.getMonth(), a.getDate());
  const db = Date.UTC(b.getFullYear(), b.getMonth(), b.getDate());
  return Math.round((db - da) / dayMs);
}

/**
 * Expiry reminders and auto-renewal (notifications.md §6): once a day at the configured local
 * hour (Komari: 09:00), one `Expire` listing the nodes that expire within the lead days, then the
 * renewal sweep. Renewal also runs when a WebSocket agent connects.
 */
export class ExpiryWatch {
  readonly #alerts: AlertService;

  constructor(alerts: AlertService) {
    this.#alerts = alerts;
  }

  async tick(): Promise<void> {
    const { settings, clock } = this.#alerts.app;
    const now = clock.now();
    if (new Date(now).getHours() < settings.get('expire_notification_hour')) return;
    const today = localDate(now);
    if (settings.all()[lastRunKey] === today) return;
    await settings.update({ [lastRunKey]: today });
    await this.remind(now);
    for (const node of await this.#alerts.app.store.nodes.list()) await this.renewIfDue(node.uuid);
  }

  /** The daily reminder: sent every day while a node is inside the window, as in Komari. */
  async remind(now: number): Promise<void> {
    const { settings, store } = this.#alerts.app;
    if (!settings.get('expire_notification_enabled')) return;
    const lead = settings.get('expire_notification_lead_days');
    const lines: string[] = [];
    for (const n of await store.nodes.list()) {
      if (n.expired_at === null || n.expired_at <= now) continue;
      const days = calendarDaysBetween(now, n.expired_at);
      if (days > lead) continue;
      lines.push(`• ${n.name || n.uuid} (${days}d)\n`);
    }
    if (lines.length === 0) return;
    await this.#alerts.fire({ kind: 'expire', event: 'Expire', emoji: '⏳', message: lines.join(''), nodes: [] });
  }

  /** Komari's auto-renewal of one node (notifications.md §6.2); audited, and a `Renew` alert. */
  async renewIfDue(uuid: string): Promise<void> {
    const { store, clock, live, audit } = this.#alerts.app;
    const node = await store.nodes.get(uuid);
    if (!node?.auto_renewal || node.expired_at === null || !live.socketOf(uuid)) return;
    const now = clock.now();
    const exp = node.expired_at;
    if (new Date(exp).getFullYear() < 2) return;
    if (exp > now && localDate(exp) !== localDate(now)) return;
    if (exp > now + 100 * 365 * dayMs || node.billing_cycle <= 0) return;
    const base = exp < now - 30 * dayMs ? now : exp;
    const next = addCycles(base, node.billing_cycle, 1);
    const name = node.name || uuid;
    try {
      await store.nodes.update(uuid, { expired_at: next, updated_at: now });
    } catch (err) {
      await audit.log('', '', `Failed to renew client ${name} (${uuid}): ${(err as Error).message}`, 'renewal');
      return;
    }
    await audit.log('', '', `Auto-renewed client: ${name} until ${localDate(next)}`, 'renewal');
    await this.#alerts.fire({ kind: 'renew', event: 'Renew', emoji: '🔄', message: `• ${name} until ${localDate(next)}\n`, nodes: [uuid] });
  }
}
