import type { ProviderItem } from '@komari-ts/protocol';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { defineMethod, type MethodDef } from '../rpc/registry.ts';
import { itemsOf, parseConfig } from './items.ts';
import { oauthProviders } from './providers/index.ts';

const getParams = z.object({ provider: z.string().optional() });
// `addition` is checked in the handler so a wrong type gets Komari's "Invalid configuration" text.
const setParams = z.object({ name: z.unknown().optional(), addition: z.unknown().optional() });

/** admin-api.md §3.5: provider configurations and their field schemas. Not audited, as in Komari. */
export const oauthMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getOidcProvider',
    summary: 'One OAuth provider’s stored configuration, or every provider’s field schema',
    params: getParams,
    positional: ['provider'],
    handler: async ({ provider }, { app }) => {
      if (provider) {
        const row = await app.store.oidcProviders.get(provider);
        if (!row || !app.oauth.provider(provider)) throw AppError.notFound('Provider not found: record not found');
        return { name: row.name, addition: row.addition };
      }
      if (oauthProviders.length === 0) throw AppError.notFound('No OIDC providers found');
      const schemas: Record<string, ProviderItem[]> = {};
      for (const p of oauthProviders) schemas[p.name] = itemsOf(p.fields);
      return schemas;
    },
  }),
  defineMethod({
    name: 'admin:setOidcProvider',
    summary: 'Save one OAuth provider’s configuration (addition is a JSON-encoded string)',
    params: setParams,
    namedOnly: true,
    handler: async ({ name, addition }, { app }) => {
      if (name !== undefined && typeof name !== 'string') throw AppError.invalidParams('Invalid configuration: name must be a string');
      if (addition !== undefined && typeof addition !== 'string') throw AppError.invalidParams('Invalid configuration: addition must be a JSON-encoded string');
      if (!name) throw AppError.invalidParams('Provider name is required');
      const provider = app.oauth.provider(name);
      if (!provider) throw AppError.notFound(`Provider not found: ${name}`);
      let config;
      try {
        config = parseConfig(provider.fields, addition ?? '');
      } catch (err) {
        throw AppError.invalidParams(`Invalid configuration: ${(err as Error).message}`);
      }
      await app.store.oidcProviders.set({ name, addition: JSON.stringify(config) });
      // A changed issuer or key set is re-read on the next login.
      app.oauth.discovery.forget();
      return { message: 'OIDC provider set successfully' };
    },
  }),
];
