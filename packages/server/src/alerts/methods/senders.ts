import type { ProviderItem } from '@komari-ts/protocol';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { defineMethod, type MethodDef } from '../../rpc/registry.ts';
import { itemsOf, storedConfigOf } from '../notifiers/config.ts';
import { notifierOf, notifiers } from '../notifiers/index.ts';

const getParams = z.object({ provider: z.string().optional() });
// Checked in the handler so a wrong type gets Komari's "Invalid configuration" text.
const setParams = z.object({ name: z.unknown().optional(), addition: z.unknown().optional() });

/** The notifier of one of Komari's senders by its registry name; undefined for ours and unknown names. */
const komariSenderDef = (name: string) => {
  const def = notifierOf(name);
  return def?.komari ? def : undefined;
};

/** admin-api.md §3.5: Komari's message-sender configurations and their field schemas. Not audited, as in Komari. */
export const senderMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getMessageSenderProvider',
    summary: 'One message sender’s stored configuration, or every sender’s field schema',
    params: getParams,
    positional: ['provider'],
    handler: async ({ provider }, { app }) => {
      if (provider) {
        const row = komariSenderDef(provider) ? await app.store.alerts.senderConfig(provider) : undefined;
        if (!row) throw AppError.notFound('Provider not found: record not found');
        return { name: row.name, addition: row.addition };
      }
      const schemas: Record<string, ProviderItem[]> = {};
      for (const n of notifiers) if (n.komari) schemas[n.kind] = itemsOf(n);
      return schemas;
    },
  }),
  defineMethod({
    name: 'admin:setMessageSenderProvider',
    summary: 'Save one message sender’s configuration (addition is a JSON-encoded string)',
    params: setParams,
    namedOnly: true,
    handler: async ({ name, addition }, { app }) => {
      if (name !== undefined && typeof name !== 'string') throw AppError.invalidParams('Invalid configuration: name must be a string');
      if (addition !== undefined && typeof addition !== 'string') throw AppError.invalidParams('Invalid configuration: addition must be a JSON-encoded string');
      if (!name) throw AppError.invalidParams('Provider name is required');
      const def = komariSenderDef(name);
      if (!def) throw AppError.notFound(`Provider not found: ${name}`);
      let config: Record<string, unknown>;
      try {
        config = storedConfigOf(def, addition === undefined || addition.trim() === '' ? {} : JSON.parse(addition));
      } catch (err) {
        throw AppError.invalidParams(`Invalid configuration: ${(err as Error).message}`);
      }
      await app.store.alerts.setSenderConfig({ name, addition: JSON.stringify(config) });
      return { message: 'Message sender provider set successfully' };
    },
  }),
];
