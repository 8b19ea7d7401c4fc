import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { cachedNodes } from '../cached-nodes.ts';
import type { Store } from '../types.ts';
import { sqliteAlerts } from '../../alerts/store/sqlite.ts';
import { sqliteClipboard } from '../../clipboard/store/sqlite.ts';
import { sqliteRemoteControl } from '../../remote-control/store/sqlite.ts';
import { sqliteThemeConfigs } from '../../themes/settings/store/sqlite.ts';
import { sqliteAccounts } from './accounts.ts';
import { sqliteAudit } from './audit.ts';
import { sqliteExecTasks } from '../../exec/sqlite-store.ts';
import { sqliteFiles } from './files.ts';
import { sqliteHistory } from './history.ts';
import { sqliteLoginGuard } from './login-guard.ts';
import { sqlitePingHistory } from '../../ping/store/sqlite-history.ts';
import { sqlitePingTasks } from '../../ping/store/sqlite-tasks.ts';
import { StoreFileError } from '../errors.ts';
import { mappingErrors } from './errors.ts';
import { migrate } from './migrations.ts';
import { sqliteNodes } from './nodes.ts';
import { sqliteOidcProviders } from './oidc-providers.ts';
import { sqliteSessions } from './sessions.ts';
import { sqliteSettings } from './settings.ts';
import { sqliteTables } from './tables.ts';

/**
 * Opens (creating if needed) the SQLite file in WAL mode and migrates it. One connection, one
 * writer: node:sqlite is synchronous, so statements never interleave and "database is locked"
 * cannot come from inside the process. A file that is empty or not a database is refused with an
 * error naming it: SQLite would treat an empty file as a new database, and the server would then
 * start as a fresh install with a new admin over what was a lost database.
 */
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') {
    refuseEmptyFile(path);
    mkdirSync(dirname(path), { recursive: true });
  }
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db);
  } catch (err) {
    if (db?.isOpen) db.close();
    throw new StoreFileError(`cannot open the database ${path}: ${sqliteMessageOf(err)}`, { cause: err });
  }
  return {
    engine: 'sqlite',
    files: mappingErrors(sqliteFiles(db, path)),
    accounts: mappingErrors(sqliteAccounts(db)),
    sessions: mappingErrors(sqliteSessions(db)),
    nodes: cachedNodes(mappingErrors(sqliteNodes(db))),
    settings: mappingErrors(sqliteSettings(db)),
    loginGuard: mappingErrors(sqliteLoginGuard(db)),
    audit: mappingErrors(sqliteAudit(db)),
    history: mappingErrors(sqliteHistory(db)),
    ping: { tasks: mappingErrors(sqlitePingTasks(db)), history: mappingErrors(sqlitePingHistory(db)) },
    execTasks: mappingErrors(sqliteExecTasks(db)),
    oidcProviders: mappingErrors(sqliteOidcProviders(db)),
    alerts: mappingErrors(sqliteAlerts(db)),
    clipboard: mappingErrors(sqliteClipboard(db)),
    remoteControl: mappingErrors(sqliteRemoteControl(db)),
    themeConfigs: mappingErrors(sqliteThemeConfigs(db)),
    tables: mappingErrors(sqliteTables(db)),
    async close() {
      if (db.isOpen) db.close();
    },
  };
}

function refuseEmptyFile(path: string): void {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // no file yet: a fresh install
  }
  if (size === 0) {
    throw new StoreFileError(`refusing to start: ${path} is an empty file (0 bytes); restore it from a backup or delete it to start fresh`);
  }
}

/** SQLite's own words ("file is not a database"), also under a migration's wrapper error. */
function sqliteMessageOf(err: unknown): string {
  for (let e = err; e instanceof Error; e = e.cause) {
    const { errstr, message } = e as Error & { errstr?: string };
    if (typeof errstr === 'string') return message === errstr ? errstr : `${message} (${errstr})`;
  }
  return err instanceof Error ? err.message : String(err);
}
