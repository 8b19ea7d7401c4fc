import { zeroConfigOf } from './notifiers/config.ts';
import { notifiers } from './notifiers/index.ts';
import type { AlertStore } from './store/types.ts';

/** Komari's boot step: a zero-valued config row for every sender that has none (notifications.md §2). */
export async function ensureSenderRows(store: AlertStore): Promise<void> {
  const rows = notifiers.filter((n) => n.komari).map((n) => ({ name: n.kind, addition: JSON.stringify(zeroConfigOf(n)) }));
  await store.insertMissingSenderConfigs(rows);
}
