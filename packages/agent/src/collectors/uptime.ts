import type { ProcReader } from './read.ts';

/** Host uptime in whole seconds from /proc/uptime (`5696.35 8104.79`), not the agent's. */
export function parseUptime(text: string): number {
  const seconds = Number.parseFloat(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error('unreadable uptime');
  return Math.floor(seconds);
}

export function readUptime(reader: ProcReader, procRoot: string): number {
  return parseUptime(reader.text(`${procRoot}/uptime`));
}
