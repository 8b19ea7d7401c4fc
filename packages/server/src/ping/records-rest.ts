import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { isAdmin, type Caller } from '../rpc/caller.ts';
import type { PingBucketRow, PingTaskRow } from '../store/types.ts';
import { atoi, text } from './params.ts';
import { probeErrorWire } from './probe-error-wire.ts';
import type { ProbeErrorEntry } from './probe-errors.ts';
import { exactStats } from './stats.ts';
import { basicInfo, hiddenSet, pingRecord, taskHead, tasksFor, withoutHiddenClients } from './wire.ts';
import { pingBuckets } from './window.ts';

const hourMs = 3_600_000;
const defaultHours = 4;
/** The earliest instant a Date can hold; an absurd `hours` is clamped here instead of failing. */
const earliest = -8.64e15;

interface Query {
  uuid: string;
  task?: number;
  hours: number;
}

/** The checks of public-api.md §6.12 in Komari's order; undefined = a guest asking for a hidden node. */
async function parseQuery(app: AppContext, caller: Caller, p: Record<string, unknown>): Promise<Query | undefined> {
  const uuid = text(p.uuid);
  const taskText = text(p.task_id);
  if (!uuid && !taskText) throw AppError.invalidParams('UUID or task_id is required');
  if (uuid && !isAdmin(caller) && (await app.store.nodes.get(uuid))?.hidden) return undefined;
  // A bad `hours` silently means the default, as in Komari.
  const hours = atoi(text(p.hours)) ?? defaultHours;
  let task: number | undefined;
  if (taskText) {
    task = atoi(taskText);
    if (task === undefined || task < 0) throw AppError.invalidParams('Invalid task_id parameter');
  }
  if (hours < 0) throw AppError.internal('Failed to fetch ping records: start time is after end time');
  return { uuid, task, hours };
}

/**
 * One task of the answer with its stats over its rows: exact loss, min, max and avg; total = records.
 * Asked about one node, a task whose last probe there could not run also carries `probe_error`
 * (komari-ts's extra key; the code only, unless the caller is an admin).
 */
function taskEntry(t: PingTaskRow, rows: readonly PingBucketRow[], o: { withClients: boolean; error?: ProbeErrorEntry; admin: boolean }) {
  const mine = rows.filter((r) => r.task === t.id);
  const s = exactStats(mine);
  const entry = { ...taskHead(t), loss: s.loss, min: s.min, max: s.max, avg: s.avg, total: mine.length };
  const withError = o.error ? { ...entry, probe_error: probeErrorWire(o.error, o.admin) } : entry;
  return o.withClients ? { ...withError, clients: t.clients } : withError;
}

/**
 * `GET /api/records/ping` (public:getPingRecords): uuid only → every task of the node; task_id
 * only → every visible node of the task; both → that pair. Records are Komari's (bucket last
 * value, newest first); loss comes from the exact sent/lost counts, so a loss inside a bucket
 * shows even when the bucket's last result was answered.
 */
export async function pingRecordsRest(app: AppContext, caller: Caller, p: Record<string, unknown>) {
  const q = await parseQuery(app, caller, p);
  if (!q) return { count: 0, records: [] };
  const now = app.clock.now();
  const node = q.uuid || undefined;
  let rows: PingBucketRow[];
  try {
    rows = await pingBuckets(app.ping.history, { task: q.task, node }, { start: Math.max(now - q.hours * hourMs, earliest), end: now }, now);
  } catch (err) {
    throw AppError.failed(`Failed to fetch ping records: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  const admin = isAdmin(caller);
  const hidden = hiddenSet(await app.store.nodes.list(), admin);
  rows = rows.filter((r) => !hidden.has(r.node)).sort((a, b) => b.start - a.start);
  const withClients = q.task !== undefined && !node;
  const tasks = tasksFor(app.ping.tasks(), q.task, node).map((t) =>
    taskEntry(withoutHiddenClients(t, hidden), rows, { withClients, admin, error: node ? app.ping.errors.get(t.id, node) : undefined }),
  );
  const out: Record<string, unknown> = { count: rows.length };
  if (rows.length > 0) out.basic_info = basicInfo(rows);
  out.records = rows.map(pingRecord);
  if (tasks.length > 0) out.tasks = tasks;
  return out;
}
