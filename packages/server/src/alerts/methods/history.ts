import { z } from 'zod';
import { defineMethod, type MethodDef } from '../../rpc/registry.ts';
import { recordWire } from '../wire.ts';

// Query values arrive as strings over REST, numbers over RPC.
const intIn = (min: number, max: number, fallback: number) =>
  z.preprocess((v) => (v === undefined || v === '' ? fallback : Number(v)), z.number().int().min(min).max(max));

const params = z.object({ limit: intIn(1, 500, 50), page: intIn(1, 1_000_000, 1) });

export const historyMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:listAlertHistory',
    summary: 'The alert history, newest first: {limit, page}',
    params,
    positional: ['limit', 'page'],
    handler: async ({ limit, page }, { app }) => {
      const { items, total } = await app.store.alerts.records({ limit, offset: (page - 1) * limit });
      return { items: items.map(recordWire), total };
    },
  }),
];
