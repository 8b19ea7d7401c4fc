import type { AlertService } from './alert-service.ts';
import type { NoticeEvent } from './notifiers/types.ts';
import { isQuiet } from './quiet.ts';
import type { ChannelChoice, QuietWindow } from './store/types.ts';

interface Held {
  window: QuietWindow;
  event: NoticeEvent;
  channels: ChannelChoice;
}

/**
 * Notices that fired inside quiet hours. When their window ends they go out as one summary per
 * window (or are dropped, as the window says). At most `maxHeldNotices` are kept whole; past
 * that only their number is, and the summary says how many it leaves out.
 */
export class QuietHold {
  readonly #alerts: AlertService;
  #held: Held[] = [];
  #overflow = new Map<string, number>();

  constructor(alerts: AlertService) {
    this.#alerts = alerts;
  }

  holds(window: QuietWindow | null, now: number): boolean {
    return isQuiet(window, now);
  }

  add(window: QuietWindow, event: NoticeEvent, channels: ChannelChoice): void {
    if (this.#held.length >= this.#alerts.app.limits.alerts.maxHeldNotices) {
      const key = keyOf(window);
      this.#overflow.set(key, (this.#overflow.get(key) ?? 0) + 1);
      return;
    }
    this.#held.push({ window, event, channels });
  }

  /** Sends the summary of every window that has ended. */
  async tick(): Promise<void> {
    const now = this.#alerts.app.clock.now();
    const ended = this.#held.filter((h) => !isQuiet(h.window, now));
    if (ended.length === 0) return;
    this.#held = this.#held.filter((h) => isQuiet(h.window, now));
    const byWindow = new Map<string, Held[]>();
    for (const h of ended) {
      const key = keyOf(h.window);
      byWindow.set(key, [...(byWindow.get(key) ?? []), h]);
    }
    for (const [key, list] of byWindow) {
      const left = this.#overflow.get(key) ?? 0;
      this.#overflow.delete(key);
      if (list[0]!.window.after === 'drop') continue;
      const lines = list.map((h) => `• ${h.event.emoji} ${h.event.message || h.event.event}`);
      if (left > 0) lines.push(`• … and ${left} more`);
      const total = list.length + left;
      const clients = new Map(list.flatMap((h) => h.event.clients).map((c) => [c.uuid, c]));
      // A summary goes where any of its notices would have gone.
      const choices = list.map((h) => h.channels);
      const channels = choices.includes(null) ? null : [...new Set(choices.flatMap((c) => c ?? []))];
      await this.#alerts.notify({
        kind: 'summary',
        event: 'Summary',
        emoji: '🌙',
        message: `Quiet hours ${key} ended: ${total} alert${total === 1 ? '' : 's'} held\n${lines.join('\n')}`,
        nodes: [...clients.keys()],
        channels,
        ignoreQuiet: true,
      });
    }
  }
}

function keyOf(w: QuietWindow): string {
  return `${w.start}–${w.end}`;
}
