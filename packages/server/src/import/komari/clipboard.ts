import { checkFields } from '../../clipboard/fields.ts';
import { AppError } from '../../errors.ts';
import type { ImportContext } from './context.ts';
import { rowsOf } from './source-db.ts';
import { komariTime } from './time.ts';
import { int, textOrEmpty } from './values.ts';

const kind = 'clipboard';

/**
 * Saved commands, checked with the clipboard's own bounds, with Komari's times (text there, Unix
 * ms here). An entry with the same name, command, remark and weight is there already.
 */
export async function importClipboard(ctx: ImportContext): Promise<void> {
  const existing = await ctx.store.clipboard.list();
  for (const r of rowsOf(ctx.db, 'clipboards')) {
    const id = int(r.id) ?? '';
    const fields = { text: textOrEmpty(r.text), name: textOrEmpty(r.name), remark: textOrEmpty(r.remark), weight: r.weight === null ? 0 : int(r.weight) };
    if (fields.text === undefined || fields.name === undefined || fields.remark === undefined || fields.weight === undefined) {
      ctx.report.skip(kind, 'text, name and remark must be text and weight an integer', id);
      continue;
    }
    const entry = { text: fields.text, name: fields.name, remark: fields.remark, weight: fields.weight };
    try {
      checkFields(entry, ctx.limits.clipboard);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      ctx.report.skip(kind, err.message, id);
      continue;
    }
    if (existing.some((e) => e.text === entry.text && e.name === entry.name && e.remark === entry.remark && e.weight === entry.weight)) {
      ctx.report.present(kind);
      continue;
    }
    const createdAt = komariTime(r.created_at) ?? ctx.clock.now();
    const updatedAt = komariTime(r.updated_at) ?? createdAt;
    const created = await ctx.store.clipboard.create(entry, createdAt, ctx.limits.clipboard.maxEntries);
    if (!created) {
      ctx.report.skip(kind, `the clipboard holds the most entries it may (${ctx.limits.clipboard.maxEntries})`, id);
      continue;
    }
    if (updatedAt !== createdAt) await ctx.store.clipboard.update(created.id, {}, updatedAt);
    existing.push(created);
    ctx.report.count(kind);
  }
}
