import type { DatabaseSync } from 'node:sqlite';
import type { ImportReport } from '@komari-ts/protocol/import-report';
import type { Clock } from '../../clock.ts';
import { defaultServerLimits, type ServerLimits } from '../../config/limits.ts';
import { AppError } from '../../errors.ts';
import type { Store } from '../../store/types.ts';
import { importAccounts } from './accounts.ts';
import { importAlertRules } from './alert-rules.ts';
import { importAuditLog } from './audit-log.ts';
import { importClipboard } from './clipboard.ts';
import type { ImportContext } from './context.ts';
import { detectKomariSchema, unsupportedSchemaReason } from './detect.ts';
import { importExecHistory } from './exec-history.ts';
import { importKomariHistory } from './history/import-history.ts';
import { importNodes, sourceTokens } from './nodes.ts';
import { importPingTasks } from './ping-tasks.ts';
import { importProviders } from './providers.ts';
import { ImportReportBuilder } from './report.ts';
import { importSettings, importThemeSettings } from './settings.ts';
import { openKomariDb, rowCount } from './source-db.ts';

/** The history step (metrics.db and the legacy records tables); tests hand in one that watches its input. */
export type KomariHistoryImport = (
  input: { komariDb: DatabaseSync; metricsDb?: string; clientUuids: ReadonlySet<string>; pingTaskIds: ReadonlyMap<number, number>; now?: number },
  store: Store,
  report: ImportReportBuilder,
) => Promise<void>;

export interface ImportKomariOptions {
  /** add to a server that has nodes of its own (else refused) */
  merge?: boolean;
  clock: Clock;
  /** the history step: `importKomariHistory` unless a test hands in another */
  history?: KomariHistoryImport;
  /** bounds the imported rows must fit (the clipboard's, the alert rules'); the server's defaults otherwise */
  limits?: ServerLimits;
}

/**
 * Imports a Komari database (and its metric store) into `store`. Komari's files are opened
 * read-only. Every row either comes over, is found there already, or is reported as skipped
 * with why; running it again changes nothing and reports everything as already there.
 *
 * A server with nodes Komari's database does not hold (same uuid and token) is refused unless
 * `merge` is set: a merge keeps every row and value the target has and adds the rest. A target
 * whose nodes all came from this database (an earlier run, or one cut short) is not a merge.
 * Each step writes in its own transactions, so an import cut short leaves part of the data;
 * running it again finishes it.
 */
export async function importKomari(
  source: { komariDb: string; metricsDb?: string },
  store: Store,
  opts: ImportKomariOptions,
): Promise<ImportReport> {
  const db = openKomariDb(source.komariDb);
  try {
    const schema = detectKomariSchema(db);
    if (schema === null) throw AppError.invalidParams(`${source.komariDb} is not a Komari database (it has no clients and configs tables)`);
    const problem = unsupportedSchemaReason(db);
    if (problem) throw AppError.invalidParams(`${source.komariDb} is a Komari database of a schema komari-ts does not know: ${problem}`);
    const mode = await modeOf(db, store, opts.merge ?? false);
    const report = new ImportReportBuilder({ kind: 'komari', schema }, mode, () => opts.clock.now());
    const ctx: ImportContext = {
      db, store, report, mode, schema, clock: opts.clock, limits: opts.limits ?? defaultServerLimits,
      nodes: new Set(), knownNodes: new Set(), pingTasks: new Map(),
    };
    await importAll(ctx, source, opts.history ?? importKomariHistory);
    return report.finish();
  } finally {
    db.close();
  }
}

/** fresh when every node of the target is one of Komari's with the same token; else merge, if asked. */
async function modeOf(db: DatabaseSync, store: Store, merge: boolean): Promise<'fresh' | 'merge'> {
  const tokens = sourceTokens({ db });
  const own = (await store.nodes.list()).filter((n) => tokens.get(n.uuid) !== n.token);
  if (own.length === 0) return 'fresh';
  if (merge) return 'merge';
  throw AppError.invalidParams(
    `refusing to import into a server that already has nodes (${own.length} not from this Komari database) unless asked to merge: ` +
      'run the import with --merge to keep them and add Komari\'s beside them',
  );
}

async function importAll(ctx: ImportContext, source: { metricsDb?: string }, history: KomariHistoryImport): Promise<void> {
  await importNodes(ctx);
  await importAccounts(ctx);
  const settings = await importSettings(ctx);
  await importThemeSettings(ctx);
  await importProviders(ctx, settings);
  await importPingTasks(ctx);
  await importAlertRules(ctx);
  await importClipboard(ctx);
  await importAuditLog(ctx);
  await importExecHistory(ctx);
  notCarried(ctx);
  const input = { komariDb: ctx.db, metricsDb: source.metricsDb, clientUuids: ctx.nodes, pingTaskIds: ctx.pingTasks, now: ctx.clock.now() };
  await history(input, ctx.store, ctx.report);
}

/** What exists in Komari and deliberately does not come over, said once per kind. */
function notCarried(ctx: ImportContext): void {
  const sessions = rowCount(ctx.db, 'sessions');
  if (sessions > 0) ctx.report.skip('sessions', `${sessions} login session(s) are not carried over: sign in again on komari-ts`);
  const plugins = rowCount(ctx.db, 'plugin_configurations');
  if (plugins > 0) ctx.report.skip('plugins', `${plugins} plugin configuration(s) left out: komari-ts has no plugins`);
}
