import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isPostgresUrl } from '../store/postgres/connection.ts';
import { join, resolve } from 'node:path';
import type { ImportReport } from '@komari-ts/protocol/import-report';
import type { LastRestore, RestoreAnswer, RestoreStatus } from '@komari-ts/protocol/restore-status';
import type { AppContext } from '../app-context.ts';
import { randomToken } from '../auth/random-token.ts';
import { AppError } from '../errors.ts';
import type { AppLifecycle, RestartOutcome, RestoreLock } from '../lifecycle.ts';
import { preRestoreName } from './archive-name.ts';
import { dataSwap } from './data-swap.ts';
import { prunePreRestore, writeBackup } from './export.ts';
import { prepareStagedDatabase, type BackupKind } from './staged-database.ts';
import { unpackBackup } from './unpack.ts';

export const restoreBusy = 'another restore operation is already in progress';
export const notZipName = 'uploaded file must be a ZIP archive';
/** Komari's success message, kept word for word: its admin UIs look for it */
export const uploadedMessage = 'Backup uploaded successfully. The service will restart and apply the backup.';

/** Who asked, for the audit log. */
export interface Requester {
  ip: string;
  actor: string;
}

/** A validated restore: what to answer, and the step that applies it once the answer is out. */
export interface AcceptedRestore {
  answer: RestoreAnswer;
  apply(): Promise<void>;
}

const lastRestoreFile = (dataDir: string) => join(dataDir, 'backup', 'last-restore.json');

/**
 * Restores a backup archive: one at a time (a lock that outlives the app), everything validated
 * in a staging folder first (backup/unpack.ts, backup/staged-database.ts), the current data saved
 * as `backup/pre-restore-<time>.zip`, then applied by restarting the app in-process over the
 * swapped files (main.ts), with the outcome kept in `backup/last-restore.json`. A refusal leaves
 * the data folder and the running server as they were.
 */
export class RestoreService {
  readonly #app: AppContext;
  readonly #dataDir: string;
  readonly #lifecycle: AppLifecycle;

  constructor(app: AppContext, dataDir: string, lifecycle: AppLifecycle) {
    this.#app = app;
    this.#dataDir = dataDir;
    this.#lifecycle = lifecycle;
  }

  /** the one restore at a time (tests hold it to see a second refused) */
  get lock(): RestoreLock {
    return this.#lifecycle.restoreLock;
  }

  status(): RestoreStatus {
    let last: LastRestore | null;
    try {
      last = JSON.parse(readFileSync(lastRestoreFile(this.#dataDir), 'utf8')) as LastRestore;
    } catch {
      last = null; // none yet, or unreadable: nothing to show
    }
    return { restoring: this.#lifecycle.restoreLock.held, last };
  }

  /**
   * Validates `archive` (named `filename` by the uploader) and prepares its data. Throws `AppError`
   * with Komari's message on a refusal. The archive file is the caller's to delete.
   */
  async accept(archive: string, filename: string, who: Requester): Promise<AcceptedRestore> {
    const lock = this.#lifecycle.restoreLock;
    if (!lock.acquire()) throw AppError.invalidParams(restoreBusy);
    const id = randomToken(8);
    const staging = join(this.#dataDir, `.restore-staging-${id}`);
    try {
      if (this.#app.config.db === ':memory:') throw AppError.internal('a restore needs the database in a file');
      // The swap moves SQLite files into place; restoring into PostgreSQL is still to come (issue 16).
      if (isPostgresUrl(this.#app.config.db)) throw AppError.internal('restoring a backup onto PostgreSQL is not supported yet');
      if (!filename.toLowerCase().endsWith('.zip')) throw AppError.invalidParams(notZipName);
      await unpackBackup(archive, staging, this.#app.limits.backup);
      const staged = await prepareStagedDatabase(staging, this.#app.clock);
      const restart = this.#lifecycle.restart;
      if (!restart) {
        // No running server to restart (an app built on its own): Komari's way, at the next start.
        rmSync(staging, { recursive: true, force: true });
        renameSync(archive, join(this.#dataDir, 'backup.zip'));
        lock.release();
        return { answer: { path: 'data/backup.zip', kind: staged.kind, applied: 'next-start', report: staged.report }, apply: async () => {} };
      }
      const saved = await writeBackup(this.#app, this.#dataDir, this.#freshPreRestoreName());
      prunePreRestore(join(this.#dataDir, 'backup'), this.#app.limits.backup.keepPreRestore, saved.name);
      await this.#app.audit.log(who.ip, who.actor, `restore backup ${filename} (${staged.kind}), current data saved as backup/${saved.name}`, 'warn');
      const swap = dataSwap(this.#dataDir, resolve(this.#app.config.db), staging, join(this.#dataDir, `.restore-previous-${id}`));
      return {
        answer: { path: 'data/backup.zip', kind: staged.kind, applied: 'live', report: staged.report },
        apply: () => this.#apply(() => restart(swap), staged.kind, staged.report, who),
      };
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      lock.release();
      const reason = err instanceof AppError ? err.message : 'internal error';
      if (!(err instanceof AppError)) this.#app.log.error({ err }, 'restore failed before anything changed');
      await this.#app.audit.log(who.ip, who.actor, `restore backup ${filename} refused: ${reason}`, 'warn').catch(() => undefined);
      throw err;
    }
  }

  async #apply(restart: () => Promise<RestartOutcome>, kind: BackupKind, report: ImportReport | undefined, who: Requester): Promise<void> {
    const lock = this.#lifecycle.restoreLock;
    try {
      const outcome = await restart();
      const message = outcome.ok ? 'backup restored' : `restore failed, the previous data is back: ${outcome.error.message}`;
      const last: LastRestore = { at: new Date(outcome.ctx.clock.now()).toISOString(), kind, ok: outcome.ok, message, report };
      this.#record(last);
      await outcome.ctx.audit.log(who.ip, who.actor, message, outcome.ok ? 'info' : 'error');
    } catch (err) {
      // Neither the new data nor the old came up: nothing is serving; say so where it is seen.
      this.#app.log.fatal({ err }, 'restore failed and the previous data could not be started again');
    } finally {
      lock.release();
    }
  }

  /** Two restores in one second must not overwrite the first one's safety copy. */
  #freshPreRestoreName(): string {
    const name = preRestoreName(this.#app.clock.now());
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? name : name.replace(/\.zip$/, `-${n}.zip`);
      if (!existsSync(join(this.#dataDir, 'backup', candidate))) return candidate;
    }
  }

  #record(last: LastRestore): void {
    mkdirSync(join(this.#dataDir, 'backup'), { recursive: true });
    const file = lastRestoreFile(this.#dataDir);
    writeFileSync(`${file}.part`, JSON.stringify(last, null, 2));
    renameSync(`${file}.part`, file);
  }
}
