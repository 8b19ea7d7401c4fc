import type { ImportContext } from './context.ts';
import { rowsOf } from './source-db.ts';
import { komariTime } from './time.ts';
import { int, textOrEmpty } from './values.ts';

const kind = 'auditLog';
/** Komari's message column has no bound; a line of the log is a sentence, a visitor event some JSON. */
const maxMessageChars = 16 * 1024;

/** Komari's audit log (`logs`), with its times; an entry already there (same time, actor, text) is not added twice. */
export async function importAuditLog(ctx: ImportContext): Promise<void> {
  for (const r of rowsOf(ctx.db, 'logs')) {
    const id = int(r.id) ?? '';
    const entry = {
      ip: textOrEmpty(r.ip),
      uuid: textOrEmpty(r.uuid),
      message: textOrEmpty(r.message),
      msgType: textOrEmpty(r.msg_type),
      time: komariTime(r.time),
    };
    if (entry.ip === undefined || entry.uuid === undefined || entry.msgType === undefined || entry.ip.length > 100 || entry.uuid.length > 36 || entry.msgType.length > 20) {
      ctx.report.skip(kind, 'ip, uuid or msg_type is not text of Komari\'s lengths', id);
      continue;
    }
    if (!entry.message || entry.message.length > maxMessageChars) {
      ctx.report.skip(kind, `its message is empty or over ${maxMessageChars} characters`, id);
      continue;
    }
    if (typeof entry.time !== 'number') {
      ctx.report.skip(kind, 'its time is not a time', id);
      continue;
    }
    const e = { ip: entry.ip, uuid: entry.uuid, message: entry.message, msgType: entry.msgType, time: entry.time };
    if (await ctx.store.audit.has(e)) {
      ctx.report.present(kind);
      continue;
    }
    await ctx.store.audit.add(e);
    ctx.report.count(kind);
  }
}
