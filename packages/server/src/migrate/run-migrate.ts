import { existsSync, rmSync } from 'node:fs';
import { openStore } from '../store/open-store.ts';
import type { OpenPostgresOptions } from '../store/postgres/open.ts';
import type { Store } from '../store/types.ts';
import { copyTables, tablesWithRows } from './copy-tables.ts';
import { databaseRef, describeRef, MigrateRefused, sameDatabase, scrubSecrets, type DatabaseRef } from './database-ref.ts';
import { processesHolding } from './in-use.ts';
import { formatMigrateReport, verifyCounts, type MigrateReport } from './verify-counts.ts';

export interface MigrateOptions {
  /** the configured database (`-d`/KOMARI_DB): a SQLite file or a postgres:// URL */
  source: string;
  /** the source's PostgreSQL options (KOMARI_PG_SCHEMA, KOMARI_PG_START_TIMEOUT) */
  sourcePg: OpenPostgresOptions;
  /** `--to`: a SQLite file or a postgres:// URL */
  to: string;
  /** the target's PostgreSQL options (`--schema`, else KOMARI_PG_SCHEMA) */
  targetPg: OpenPostgresOptions;
  batchRows: number;
  json: boolean;
  /** called as each table is copied (the CLI shows it on a terminal: a large history takes minutes) */
  progress?(table: string, rows: number): void;
  out(text: string): void;
  err(text: string): void;
}

const sourceWhat = 'the source (-d/--database or KOMARI_DB)';

function refuseInUse(ref: DatabaseRef, what: string): void {
  if (ref.kind !== 'sqlite') return;
  const pids = processesHolding(ref.path);
  if (pids.length > 0) {
    throw new MigrateRefused(`refusing to migrate: ${what} ${ref.path} is open in another process (pid ${pids.join(', ')}); stop the server first`);
  }
}

/** Checks what can be checked before anything is opened; nothing is created or changed by a refusal here. */
function refuseEarly(source: DatabaseRef, target: DatabaseRef): void {
  if (sameDatabase(source, target)) {
    throw new MigrateRefused(`refusing to migrate: the source and the target are the same database (${describeRef(source)})`);
  }
  if (source.kind === 'sqlite' && !existsSync(source.path)) {
    throw new MigrateRefused(`the source database ${source.path} does not exist: set -d/--database or KOMARI_DB to the installation's database`);
  }
  refuseInUse(source, 'the source');
  refuseInUse(target, 'the target');
}

async function opened(ref: DatabaseRef, pg: OpenPostgresOptions, what: string): Promise<Store> {
  try {
    return await openStore(ref.kind === 'sqlite' ? ref.path : ref.url, pg);
  } catch (err) {
    throw new Error(`cannot open ${what}: ${(err as Error).message}`, { cause: err });
  }
}

async function migrate(source: DatabaseRef, target: DatabaseRef, o: MigrateOptions): Promise<MigrateReport> {
  refuseEarly(source, target);
  const started = Date.now();
  const from = await opened(source, { ...o.sourcePg, existing: true }, sourceWhat);
  const createdFile = target.kind === 'sqlite' && !existsSync(target.path) ? target.path : undefined;
  let done = false;
  try {
    if (!tablesWithRows(await from.tables.counts())) {
      throw new MigrateRefused(`the source ${describeRef(source)} holds no data: nothing to migrate (check -d/--database, KOMARI_DB and KOMARI_PG_SCHEMA)`);
    }
    const to = await opened(target, o.targetPg, 'the target (--to)');
    try {
      const copied = await copyTables(from.tables, to.tables, { batchRows: o.batchRows, targetName: describeRef(target), onTable: o.progress });
      const report = verifyCounts(copied, await to.tables.counts(), { source: describeRef(source), target: describeRef(target), ms: Date.now() - started });
      done = true;
      return report;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
    // A SQLite file this run created and could not fill is not left behind to be mistaken for a copy.
    if (!done && createdFile) for (const suffix of ['', '-wal', '-shm']) rmSync(createdFile + suffix, { force: true });
  }
}

/**
 * `komari migrate --to <db>`: copies the configured database into another (SQLite to PostgreSQL,
 * PostgreSQL to SQLite, or the same engine) and verifies the row count of every table. Prints
 * the report (text, or JSON) and returns the exit status: 0 verified, 1 refused, failed or not
 * verified. Nothing printed carries a PostgreSQL password.
 */
export async function runMigrate(o: MigrateOptions): Promise<number> {
  const refs: DatabaseRef[] = [];
  try {
    refs.push(databaseRef(o.source, o.sourcePg.schema ?? 'public', sourceWhat));
    refs.push(databaseRef(o.to, o.targetPg.schema ?? 'public', '--to'));
    const report = await migrate(refs[0]!, refs[1]!, o);
    o.out(scrubSecrets(o.json ? JSON.stringify(report, null, 2) : formatMigrateReport(report), refs));
    if (!report.verified) {
      o.err(`the target's row counts differ from the source's (${report.mismatches.join(', ')}): do not switch to it; run the migration again into an empty database`);
      return 1;
    }
    if (!o.json) o.out(`\nThe source was left as it was. To run on the copy, start the server with KOMARI_DB (and for PostgreSQL KOMARI_PG_SCHEMA) set to it.`);
    return 0;
  } catch (err) {
    o.err(scrubSecrets(err instanceof Error ? err.message : String(err), [...refs, ...rawRefs(o)]));
    return 1;
  }
}

/** The raw values as given, for scrubbing a message thrown before they parsed. */
function rawRefs(o: MigrateOptions): DatabaseRef[] {
  const out: DatabaseRef[] = [];
  for (const url of [o.source, o.to]) {
    try {
      new URL(url);
      out.push({ kind: 'postgres', url, schema: '' });
    } catch {
      // not a URL: nothing secret to take out
    }
  }
  return out;
}
