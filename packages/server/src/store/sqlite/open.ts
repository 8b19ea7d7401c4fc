import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { cachedNodes } from '../cached-nodes.ts';
import type { Store } from '../types.ts';
import { sqliteAccounts } from './accounts.ts';
import { sqliteAudit } from './audit.ts';
import { sqliteExecTasks } from '../../exec/sqlite-store.ts';
import { sqliteHistory } from './history.ts';
import { sqlitePingHistory } from '../../ping/store/sqlite-history.ts';
import { sqlitePingTasks } from '../../ping/store/sqlite-tasks.ts';
import { migrate } from './migrations.ts';
import { sqliteNodes } from './nodes.ts';
import { sqliteOidcProviders } from './oidc-providers.ts';
import { sqliteSessions } from './sessions.ts';
import { sqliteSettings } from './settings.ts';

/**
 * Opens (creating if needed) the SQLite file in WAL mode and migrates it. One connection, one
 * writer: node:sqlite is synchronous, so statements never interleave and "database is locked"
 * cannot come from inside the process.
 */
export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA foreign_keys = ON');
  migrate(db);
  return {
    engine: 'sqlite',
    accounts: sqliteAccounts(db),
    sessions: sqliteSessions(db),
    nodes: cachedNodes(sqliteNodes(db)),
    settings: sqliteSettings(db),
    audit: sqliteAudit(db),
    history: sqliteHistory(db),
    ping: { tasks: sqlitePingTasks(db), history: sqlitePingHistory(db) },
    execTasks: sqliteExecTasks(db),
    oidcProviders: sqliteOidcProviders(db),
    async close() {
      if (db.isOpen) db.close();
    },
  };
}
