import { AppError } from '../../errors.ts';
import { taskFields } from '../../ping/task-input.ts';
import type { PingTaskFields, PingTaskRow } from '../../store/types.ts';
import { knownClients, type ImportContext } from './context.ts';
import { rowsOf } from './source-db.ts';
import { bool, int, stringList, textOrEmpty, type Row } from './values.ts';

const kind = 'pingTasks';

/**
 * Ping tasks, checked with the rules `admin:addPingTask` applies. A fresh import keeps Komari's
 * ids (themes and saved links name tasks by id; a task of that id here takes Komari's fields); a
 * merge keeps the target's tasks, maps a Komari task onto one with the same name, type, target
 * and interval, and gives the others new ids. `ctx.pingTasks` records Komari id → ours.
 */
export async function importPingTasks(ctx: ImportContext): Promise<void> {
  const tasks = new Map((await ctx.store.ping.tasks.list()).map((t) => [t.id, t]));
  for (const r of rowsOf(ctx.db, 'ping_tasks')) {
    const id = int(r.id);
    if (id === undefined || id <= 0) {
      ctx.report.skip(kind, 'a row without a positive integer id');
      continue;
    }
    const fields = fieldsOf(ctx, r, id);
    if (!fields) continue;
    const ours = await place(ctx, tasks, { ...fields, id, weight: int(r.weight) ?? id });
    ctx.pingTasks.set(id, ours);
    if (!tasks.has(ours)) tasks.set(ours, { ...fields, id: ours, weight: ours });
  }
}

function fieldsOf(ctx: ImportContext, r: Row, id: number): PingTaskFields | undefined {
  const listed = stringList(r.clients);
  if (!listed) {
    ctx.report.skip(kind, 'its clients column is not a JSON list of uuids', id);
    return undefined;
  }
  const defaultOn = bool(r.all_clients) ?? false;
  const clients = knownClients(ctx, kind, id, listed);
  if (clients.length === 0 && !defaultOn) {
    ctx.report.skip(kind, 'it points to no node on this server', id);
    return undefined;
  }
  const input = { name: textOrEmpty(r.name), target: textOrEmpty(r.target), type: textOrEmpty(r.type), interval: int(r.interval), clients, default_on: defaultOn };
  try {
    return taskFields(input, ctx.knownNodes, 'import');
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    ctx.report.skip(kind, err.message, id);
    return undefined;
  }
}

const sameTarget = (a: PingTaskFields, b: PingTaskFields) => a.name === b.name && a.type === b.type && a.target === b.target && a.interval === b.interval;
const same = (a: PingTaskFields, b: PingTaskFields) =>
  sameTarget(a, b) && a.defaultOn === b.defaultOn && [...a.clients].sort().join() === [...b.clients].sort().join();

/** Where the task lands; returns its id here. */
async function place(ctx: ImportContext, tasks: Map<number, PingTaskRow>, task: PingTaskRow): Promise<number> {
  const { tasks: store } = ctx.store.ping;
  const sameId = tasks.get(task.id);
  if (sameId && same(sameId, task)) {
    ctx.report.present(kind);
    return task.id;
  }
  if (ctx.mode === 'fresh') {
    if (sameId) await store.update([task]);
    else await store.insert(task);
    ctx.report.count(kind);
    return task.id;
  }
  const match = [...tasks.values()].find((t) => sameTarget(t, task));
  if (match) {
    ctx.report.present(kind);
    return match.id;
  }
  const id = await store.create(task);
  ctx.report.count(kind);
  return id;
}
