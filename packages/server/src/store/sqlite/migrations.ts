import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from './transaction.ts';
import { migration as m2026_11_24_accounts_sessions_nodes_settings_audit } from './migrations/2026-11-24-accounts-sessions-nodes-settings-audit.ts';
import { migration as m2026_11_25_history_buckets } from './migrations/2026-11-25-history-buckets.ts';
import { migration as m2026_11_26_ping_tasks_and_history } from './migrations/2026-11-26-ping-tasks-and-history.ts';
import { migration as m2026_11_26_exec_tasks } from './migrations/2026-11-26-exec-tasks.ts';
import { migration as m2026_12_07_oidc_providers } from './migrations/2026-12-07-oidc-providers.ts';
import { migration as m2026_12_07_login_guard } from './migrations/2026-12-07-login-guard.ts';
import { migration as m2026_12_08_alerts } from './migrations/2026-12-08-alerts.ts';
import { migration as m2026_12_08_clipboard } from './migrations/2026-12-08-clipboard.ts';
import { migration as m2026_12_20_client_remote_control } from './migrations/2026-12-20-client-remote-control.ts';
import { migration as m2026_12_21_theme_configurations } from './migrations/2026-12-21-theme-configurations.ts';
import { migration as m2026_12_22_history_slots } from './migrations/2026-12-22-history-slots.ts';

/**
 * Dated migrations, applied in order, each once, each in its own transaction. Never edit a
 * migration that has shipped: add a new one.
 */
export interface Migration {
  id: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  m2026_11_24_accounts_sessions_nodes_settings_audit,
  m2026_11_25_history_buckets,
  m2026_11_26_ping_tasks_and_history,
  m2026_11_26_exec_tasks,
  m2026_12_07_oidc_providers,
  m2026_12_07_login_guard,
  m2026_12_08_alerts,
  m2026_12_08_clipboard,
  m2026_12_20_client_remote_control,
  m2026_12_21_theme_configurations,
  m2026_12_22_history_slots,
];

export function migrate(db: DatabaseSync, list: readonly Migration[] = migrations): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(
    db.prepare('SELECT id FROM schema_migrations').all().map((r) => String(r.id)),
  );
  const ran: string[] = [];
  for (const m of list) {
    if (applied.has(m.id)) continue;
    try {
      inTransaction(db, () => {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, Date.now());
      });
    } catch (err) {
      throw new Error(`migration ${m.id} failed: ${(err as Error).message}`, { cause: err });
    }
    ran.push(m.id);
  }
  return ran;
}
