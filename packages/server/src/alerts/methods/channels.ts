import type { ChannelKindWire } from '@komari-ts/protocol';
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../errors.ts';
import { actorUuid } from '../../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../../rpc/registry.ts';
import { channelFromUrl } from '../channel-url.ts';
import { itemsOf, sendableConfigOf, storedConfigOf } from '../notifiers/config.ts';
import { notifierOf, notifiers } from '../notifiers/index.ts';
import type { NotifierDef } from '../notifiers/types.ts';
import { channelWire, deliveryResultWire } from '../wire.ts';
import { failuresOf } from './send.ts';
import { requireRoom } from './checks.ts';

const configField = z.record(z.string(), z.unknown()).optional();
const addParams = z.object({
  name: z.string().trim().min(1, 'name is required').max(100),
  kind: z.string().max(64).optional(),
  config: configField,
  url: z.string().max(4096).optional(),
  enabled: z.boolean().optional(),
  template: z.string().max(16 * 1024).optional(),
});
const editParams = z.object({
  id: z.number().int(),
  name: z.string().trim().min(1, 'name is required').max(100).optional(),
  config: configField,
  enabled: z.boolean().optional(),
  template: z.string().max(16 * 1024).optional(),
});
const idParams = z.object({ id: z.number().int() });

function kindOf(kind: string): NotifierDef {
  const def = notifierOf(kind);
  if (!def || def.kind === 'empty') throw AppError.invalidParams(`Unknown channel kind: ${kind}`);
  return def;
}

/** The config as stored: the kind's fields only, complete enough to send. */
function checkedConfig(def: NotifierDef, config: unknown): Record<string, unknown> {
  try {
    const stored = storedConfigOf(def, config);
    sendableConfigOf(def, stored);
    return stored;
  } catch (err) {
    throw AppError.invalidParams(`Invalid configuration: ${(err as Error).message}`);
  }
}

async function channelOrThrow(app: AppContext, id: number) {
  const row = app.alerts.channels().find((c) => c.id === id);
  if (!row) throw AppError.notFound(`Channel not found: ${id}`);
  return row;
}

/** komari-ts's alert channels: several at once, each a row of kind, name, config and switch. */
export const channelMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:listAlertChannelKinds',
    summary: 'Every channel kind with its form fields and URL schemes',
    params: noParams,
    handler: (): ChannelKindWire[] =>
      notifiers.filter((n) => n.kind !== 'empty').map((n) => ({ kind: n.kind, komari: n.komari, fields: itemsOf(n), url_schemes: [...(n.url?.schemes ?? [])] })),
  }),
  defineMethod({
    name: 'admin:listAlertChannels',
    summary: 'Every alert channel',
    params: noParams,
    handler: (_p, { app }) => app.alerts.channels().map(channelWire),
  }),
  defineMethod({
    name: 'admin:addAlertChannel',
    summary: 'Add a channel from a kind and its config, or from an Apprise/Shoutrrr-style URL',
    params: addParams,
    namedOnly: true,
    handler: async (p, { app, caller }) => {
      let kind = p.kind;
      let config: unknown = p.config ?? {};
      if (p.url) {
        try {
          ({ kind, config } = channelFromUrl(p.url));
        } catch (err) {
          throw AppError.invalidParams(`Invalid channel URL: ${(err as Error).message}`);
        }
      }
      if (!kind) throw AppError.invalidParams('kind or url is required');
      const def = kindOf(kind);
      const stored = checkedConfig(def, config);
      requireRoom(app.alerts.channels().length, app, 'channels');
      const id = await app.store.alerts.addChannel({ kind: def.kind, name: p.name, config: stored, enabled: p.enabled ?? true, template: p.template ?? '' }, app.clock.now());
      await app.alerts.reloadChannels();
      await app.audit.log(caller.meta.ip, actorUuid(caller), `add alert channel ${id}: ${p.name} (${def.kind})`, 'info');
      return { id };
    },
  }),
  defineMethod({
    name: 'admin:editAlertChannel',
    summary: 'Change a channel; config fields not given keep their values',
    params: editParams,
    namedOnly: true,
    handler: async (p, { app, caller }) => {
      const row = await channelOrThrow(app, p.id);
      const config = p.config ? checkedConfig(kindOf(row.kind), { ...row.config, ...p.config }) : undefined;
      await app.store.alerts.editChannel(p.id, { name: p.name, config, enabled: p.enabled, template: p.template });
      await app.alerts.reloadChannels();
      await app.audit.log(caller.meta.ip, actorUuid(caller), `edit alert channel ${p.id}`, 'info');
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:deleteAlertChannel',
    summary: 'Delete a channel',
    params: idParams,
    positional: ['id'],
    handler: async ({ id }, { app, caller }) => {
      const row = await channelOrThrow(app, id);
      await app.store.alerts.deleteChannel(id);
      await app.alerts.reloadChannels();
      await app.audit.log(caller.meta.ip, actorUuid(caller), `delete alert channel ${id}: ${row.name}`, 'warn');
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:testAlertChannel',
    summary: 'Send a test message through one channel (0 = Komari’s active sender), even if it is off',
    params: idParams,
    positional: ['id'],
    handler: async ({ id }, { app }) => {
      const event = { event: 'Test', emoji: '', message: 'This is a test message from Komari.', time: app.clock.now(), clients: [] };
      const results = id === 0 ? await app.alerts.sendNow(event, [0]) : await app.alerts.sendNow(event, null, { only: await channelOrThrow(app, id) });
      if (results.length === 0) throw AppError.internal('Failed to send message: no active Komari sender (notification_method)');
      const failed = failuresOf(results);
      if (failed) throw AppError.internal(`Failed to send message: ${failed}`);
      return { results: results.map(deliveryResultWire) };
    },
  }),
];
