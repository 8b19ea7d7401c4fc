import { z } from 'zod';
import { AppError } from '../errors.ts';
import { actorUuid } from '../rpc/caller.ts';
import { defineMethod, noParams, type CallContext, type MethodDef } from '../rpc/registry.ts';
import { checkFields, clipboardWire, parseId, patchOf } from './fields.ts';

// Read as Komari reads it, whatever the JSON type: a number id is then "Invalid ID", not a bind error.
const anyValue = z.unknown().optional();
const idParam = z.object({ id: anyValue });
const optionalString = z.string().optional();
/** Komari's struct order (`models.Clipboard`), which positional params follow. */
const fieldParams = {
  id: anyValue,
  text: optionalString,
  name: optionalString,
  weight: z.number().int().optional(),
  remark: optionalString,
};
// Komari's handlers answer a params decoding error with "Invalid request: <reason>".
const bindError = 'Invalid request';

function audit(ctx: CallContext, message: string, type: 'info' | 'warn') {
  return ctx.app.audit.log(ctx.caller.meta.ip, actorUuid(ctx.caller), message, type);
}

/**
 * admin-api.md §9: saved commands. Komari answers an unknown id with 500 "Failed to …: record not
 * found" on get and delete, and with success on update; here all three are 404 with that text.
 */
export const clipboardMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:listClipboard',
    summary: 'Every saved command, by id',
    params: noParams,
    handler: async (_p, { app }) => (await app.store.clipboard.list()).map(clipboardWire),
  }),
  defineMethod({
    name: 'admin:getClipboard',
    summary: 'One saved command; the id is a string ("5")',
    params: idParam,
    positional: ['id'],
    handler: async (p, { app }) => {
      const id = parseId(p.id);
      const entry = await app.store.clipboard.get(id);
      if (!entry) throw AppError.notFound('Failed to get clipboard: record not found', id);
      return clipboardWire(entry);
    },
  }),
  defineMethod({
    name: 'admin:createClipboard',
    summary: 'Save a command: {name, text, remark, weight}; returns it with its id',
    // An `id` given is not used: Komari would insert with it.
    params: z.object(fieldParams),
    positional: ['id', 'text', 'name', 'weight', 'remark'],
    bindError,
    handler: async (p, ctx) => {
      const { app } = ctx;
      if (p.text === undefined) throw AppError.invalidParams('text is required');
      const fields = { text: p.text, name: p.name ?? '', weight: p.weight ?? 0, remark: p.remark ?? '' };
      checkFields(fields, app.limits.clipboard);
      const max = app.limits.clipboard.maxEntries;
      const entry = await app.store.clipboard.create(fields, app.clock.now(), max);
      if (!entry) throw AppError.invalidParams(`Too many clipboard entries (at most ${max})`);
      await audit(ctx, `create clipboard:${entry.id}`, 'info');
      return clipboardWire(entry);
    },
  }),
  defineMethod({
    name: 'admin:updateClipboard',
    summary: 'Change a saved command: {id: "5", name?, text?, remark?, weight?}',
    params: z.looseObject({ ...fieldParams, created_at: anyValue, updated_at: anyValue }),
    namedOnly: true,
    bindError,
    handler: async (p, ctx) => {
      const { app } = ctx;
      const id = parseId(p.id);
      const patch = patchOf(p);
      checkFields(patch, app.limits.clipboard);
      if (!(await app.store.clipboard.update(id, patch, app.clock.now()))) {
        throw AppError.notFound('Failed to update clipboard: record not found', id);
      }
      await audit(ctx, `update clipboard:${id}`, 'info');
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:deleteClipboard',
    summary: 'Delete a saved command; the id is a string ("5")',
    params: idParam,
    positional: ['id'],
    handler: async (p, ctx) => {
      const id = parseId(p.id);
      if (!(await ctx.app.store.clipboard.remove(id))) throw AppError.notFound('Failed to delete clipboard: record not found', id);
      await audit(ctx, `delete clipboard:${id}`, 'warn');
      return undefined;
    },
  }),
  defineMethod({
    name: 'admin:batchDeleteClipboard',
    summary: 'Delete saved commands: {ids: [1, 2, 3]}; ids that do not exist are skipped, as in Komari',
    params: z.object({ ids: z.array(z.number().int()).optional() }),
    positional: ['ids'],
    bindError,
    handler: async ({ ids }, ctx) => {
      if (!ids || ids.length === 0) throw AppError.invalidParams('IDs cannot be empty');
      const max = ctx.app.limits.clipboard.maxEntries;
      if (ids.length > max) throw AppError.invalidParams(`Too many ids (at most ${max})`);
      await ctx.app.store.clipboard.removeMany(ids);
      // Komari counts the ids sent, not the entries deleted.
      await audit(ctx, `batch delete clipboard: ${ids.length} items`, 'warn');
      return undefined;
    },
  }),
];
