import type { QuietWindow } from './store/types.ts';

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** Minutes since local midnight. */
function localMinute(ms: number): number {
  const d = new Date(ms);
  return d.getHours() * 60 + d.getMinutes();
}

/** Inside the window at `ms` (server local time); `start` after `end` wraps midnight; start = end is empty. */
export function isQuiet(window: QuietWindow | null, ms: number): boolean {
  if (!window) return false;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const now = localMinute(ms);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}
