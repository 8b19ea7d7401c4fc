import { zeroConfigOf } from './notifiers/config.ts';
import { notifiers } from './notifiers/index.ts';
import type { AlertStore, SenderConfigRow } from './store/types.ts';

/** Komari's boot step: a zero-valued config row for every sender that has none (notifications.md §2). */
export async function ensureSenderRows(store: AlertStore): Promise<void> {
  const rows = notifiers.filter((n) => n.komari).map((n) => ({ name: n.kind, addition: JSON.stringify(zeroConfigOf(n)) }));
  await store.insertMissingSenderConfigs(rows);
}

/** A stored sender config as an object; a row Komari's import left unreadable reads as empty (the send then says what is missing). */
export function readAddition(row: SenderConfigRow | undefined): Record<string, unknown> {
  if (!row) return {};
  try {
    const v: unknown = JSON.parse(row.addition);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
