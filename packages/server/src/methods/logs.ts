import { z } from 'zod';
import { AppError } from '../errors.ts';
import { defineMethod, type MethodDef } from '../rpc/registry.ts';
import { formatTime } from '../util/time.ts';

/** Decimal integer > 0, given as a string (REST query) or a number (RPC). */
function positive(name: string, value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const s = String(value);
  if (!/^\d+$/.test(s) || Number(s) <= 0 || !Number.isSafeInteger(Number(s))) throw AppError.invalidParams(`Invalid ${name}: ${s}`);
  return Number(s);
}

const maxLimit = 10_000;

export const logMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getLogs',
    summary: 'The audit log, newest first, paged',
    params: z.object({
      limit: z.union([z.string(), z.number()]).optional(),
      page: z.union([z.string(), z.number()]).optional(),
      msg_type: z.string().optional(),
    }),
    positional: ['limit', 'page', 'msg_type'],
    handler: async (p, { app }) => {
      const limit = Math.min(positive('limit', p.limit, 100), maxLimit);
      const page = positive('page', p.page, 1);
      if (!Number.isSafeInteger((page - 1) * limit)) throw AppError.invalidParams(`Invalid page: ${page}`);
      const msgType = p.msg_type || undefined;
      const rows = await app.store.audit.list({ limit, offset: (page - 1) * limit, msgType });
      return {
        logs: rows.map((r) => ({ id: r.id, ip: r.ip, uuid: r.uuid, message: r.message, msg_type: r.msgType, time: formatTime(r.time) })),
        total: await app.store.audit.count(msgType),
      };
    },
  }),
];
