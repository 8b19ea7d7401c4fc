import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { ExecResult } from '../../store/types.ts';
import type { ImportContext } from './context.ts';
import { columnsOf, rowsOf, tableNames } from './source-db.ts';
import { komariTime } from './time.ts';
import { int, stringList, textOrEmpty, type Row } from './values.ts';

const kind = 'execTasks';
/** Komari keeps an exec's whole output; a task of more than this per result is left out, not cut. */
const maxResultChars = 1024 * 1024;
const maxCommandChars = 64 * 1024;

/**
 * Remote exec history: each task with its result rows (admin-api.md §5). Komari's tasks have no
 * time of their own; a task takes its earliest result's. Results of nodes not on this server are
 * left out (komari-ts deletes a node's results with it, as Komari cascades them).
 */
export async function importExecHistory(ctx: ImportContext): Promise<void> {
  const resultsOf = resultReader(ctx.db);
  for (const r of rowsOf(ctx.db, 'tasks')) {
    const taskId = textOrEmpty(r.task_id) ?? '';
    const command = textOrEmpty(r.command);
    const clients = stringList(r.clients);
    if (!/^[0-9A-Za-z-]{1,36}$/.test(taskId)) {
      ctx.report.skip(kind, 'a task id that is empty or not [0-9A-Za-z-], up to 36 characters');
      continue;
    }
    if (!command || command.length > maxCommandChars || !clients) {
      ctx.report.skip(kind, `its command is empty or over ${maxCommandChars} characters, or its clients not a JSON list`, taskId);
      continue;
    }
    if (await ctx.store.execTasks.get(taskId)) {
      ctx.report.present(kind);
      continue;
    }
    const results = readResults(ctx, resultsOf, taskId);
    if (!results) continue;
    const createdAt = results.reduce((min, x) => Math.min(min, x.createdAt), ctx.clock.now());
    await ctx.store.execTasks.create({ taskId, clients: [...new Set(clients)], command, createdAt }, results);
    ctx.report.count(kind);
    ctx.report.count('execResults', results.length);
  }
}

function resultReader(db: DatabaseSync): StatementSync | undefined {
  if (!tableNames(db).has('task_results') || !columnsOf(db, 'task_results').has('task_id')) return undefined;
  return db.prepare('SELECT * FROM task_results WHERE task_id = ? ORDER BY rowid');
}

function readResults(ctx: ImportContext, stmt: StatementSync | undefined, taskId: string): ExecResult[] | undefined {
  const out: ExecResult[] = [];
  const seen = new Set<string>();
  const maxTotal = ctx.limits.komariImport.maxExecTaskResultChars;
  let total = 0;
  for (const r of (stmt?.iterate(taskId) ?? []) as Iterable<Row>) {
    const client = textOrEmpty(r.client) ?? '';
    if (!ctx.knownNodes.has(client)) {
      ctx.report.skip('execResults', 'its node is not on this server', `${taskId}/${client}`);
      continue;
    }
    if (seen.has(client)) continue; // one result per (task, node), as both servers key it
    const result = textOrEmpty(r.result);
    if (result === undefined || result.length > maxResultChars) {
      ctx.report.skip(kind, `a result is not text or over ${maxResultChars} characters: left the task out`, taskId);
      return undefined;
    }
    total += result.length;
    if (total > maxTotal) {
      ctx.report.skip(kind, `its results together are over ${maxTotal} characters: left the task out`, taskId);
      return undefined;
    }
    seen.add(client);
    const createdAt = komariTime(r.created_at) ?? ctx.clock.now();
    out.push({ taskId, client, result, exitCode: r.exit_code === null ? null : (int(r.exit_code) ?? null), finishedAt: komariTime(r.finished_at) ?? null, createdAt });
  }
  return out;
}
