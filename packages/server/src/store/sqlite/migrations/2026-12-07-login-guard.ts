import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // Login hardening (issue 12): the last TOTP step each account accepted (a code is good once),
  // the addresses each account logged in from (they pass the account and global login locks),
  // and the `komari unlock` / `komari permit-login` markers a running server picks up.
  id: '2026-12-07-login-guard',
  sql: `
    ALTER TABLE accounts ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE login_addresses (
      uuid TEXT NOT NULL,
      ip_key TEXT NOT NULL,
      last_login_at INTEGER NOT NULL,
      PRIMARY KEY (uuid, ip_key)
    );
    CREATE TABLE login_unlocks (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      reason TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
  `,
};
