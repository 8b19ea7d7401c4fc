import type { SettingsService } from '../services/settings-service.ts';
import { notifierOf } from './notifiers/index.ts';
import { readAddition } from './sender-rows.ts';
import type { NotifierDef } from './notifiers/types.ts';
import type { AlertStore, ChannelChoice, ChannelRow } from './store/types.ts';

/** One place a notice goes: a channel row, or Komari's active sender (id 0). */
export interface Target {
  channelId: number;
  name: string;
  def: NotifierDef;
  /** the stored config, checked when sending */
  config: unknown;
  /** "" = the global template */
  template: string;
}

/** Komari's one active sender: `notification_method` with its stored config; undefined for none. */
export async function komariSender(store: AlertStore, settings: SettingsService): Promise<Target | undefined> {
  const method = settings.get('notification_method');
  const def = notifierOf(method);
  if (!def || !def.komari) return undefined;
  const config = readAddition(await store.senderConfig(method));
  return { channelId: 0, name: method, def, config, template: '' };
}

export function channelTarget(row: ChannelRow): Target | undefined {
  const def = notifierOf(row.kind);
  return def ? { channelId: row.id, name: row.name, def, config: row.config, template: row.template } : undefined;
}

/**
 * Where a notice goes: Komari's active sender and every enabled channel, narrowed to the rule's
 * choice. With nothing configured at all, a direct send (a test) goes to Komari's `empty` sender,
 * whose send fails with Komari's message, so it says what is wrong instead of succeeding
 * silently; an automatic alert then goes nowhere and is only recorded.
 */
export async function targetsFor(
  store: AlertStore,
  settings: SettingsService,
  choice: ChannelChoice,
  channels: readonly ChannelRow[],
  direct: boolean,
): Promise<Target[]> {
  const all: Target[] = [];
  const komari = await komariSender(store, settings);
  if (komari) all.push(komari);
  for (const row of channels) {
    if (!row.enabled) continue;
    const t = channelTarget(row);
    if (t) all.push(t);
  }
  const chosen = choice === null ? all : all.filter((t) => choice.includes(t.channelId));
  if (chosen.length > 0 || choice !== null || !direct) return chosen;
  const empty = notifierOf('empty')!;
  return [{ channelId: 0, name: 'empty', def: empty, config: {}, template: '' }];
}
