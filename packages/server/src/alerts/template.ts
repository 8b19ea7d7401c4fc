import type { NoticeEvent } from './notifiers/types.ts';

/**
 * Go's RFC 3339 with nanoseconds in the server's local zone, as Komari prints `{{time}}`:
 * `2026-08-01T17:30:12.123+08:00`, trailing zeros of the fraction dropped, `Z` for UTC.
 */
export function localRfc3339Nano(ms: number): string {
  const d = new Date(ms);
  const offsetMin = -d.getTimezoneOffset();
  const local = new Date(ms + offsetMin * 60_000);
  const base = local.toISOString().slice(0, 19);
  const frac = String(local.getUTCMilliseconds()).padStart(3, '0').replace(/0+$/, '');
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const zone = offsetMin === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${base}${frac ? `.${frac}` : ''}${zone}`;
}

/**
 * Komari's template rendering (notifications.md §3.2): literal `{{name}}` tokens, all
 * occurrences, unknown ones left as they are. `{{summary}}` is komari-ts's: emoji and sentence.
 */
export function renderTemplate(template: string, event: NoticeEvent): string {
  const values: Record<string, string> = {
    event: event.event,
    clients: event.clients.map((c) => c.name || c.uuid).join(', '),
    message: event.message,
    emoji: event.emoji,
    time: localRfc3339Nano(event.time),
    summary: `${event.emoji ? `${event.emoji} ` : ''}${event.message}`,
  };
  values.client = values.clients!;
  return template.replace(/\{\{(event|clients|client|message|emoji|time|summary)\}\}/g, (_, k: string) => values[k]!);
}

/** `09:30` in server local time: what a person reads on a phone. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** `45 s`, `3 min`, `2 h 5 min`, `3 d 4 h`. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** A local calendar date, `2026-12-18`. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Sizes as Komari writes them in traffic alerts: 1024-based, two decimals, `<n> B` below 1 KiB. */
export function komariSize(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)} ${units[i]}`;
}
