import type { PgMigration } from '../migrations.ts';

export const migration: PgMigration = {
  // SQLite's accounts, sessions, audit_log and login-guard tables (its migrations up to
  // 2026-12-07-login-guard) in one. \`seq\` stands in for SQLite's rowid wherever the order of
  // insertion decides (the first account, which addresses a trim keeps, equal creation times).
  id: '2026-12-07-accounts-sessions-audit',
  sql: `
    CREATE TABLE accounts (
      seq BIGINT GENERATED ALWAYS AS IDENTITY,
      uuid TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      sso_type TEXT NOT NULL DEFAULT '',
      sso_id TEXT NOT NULL DEFAULT '',
      two_factor TEXT NOT NULL DEFAULT '',
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      totp_last_step BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX accounts_seq ON accounts (seq);
    CREATE INDEX accounts_sso_id ON accounts (sso_id) WHERE sso_id <> '';
    CREATE TABLE sessions (
      seq BIGINT GENERATED ALWAYS AS IDENTITY,
      session TEXT PRIMARY KEY,
      uuid TEXT NOT NULL,
      user_agent TEXT NOT NULL DEFAULT '',
      ip TEXT NOT NULL DEFAULT '',
      login_method TEXT NOT NULL DEFAULT 'password',
      latest_online BIGINT NOT NULL,
      latest_user_agent TEXT NOT NULL DEFAULT '',
      latest_ip TEXT NOT NULL DEFAULT '',
      expires BIGINT NOT NULL,
      created_at BIGINT NOT NULL
    );
    CREATE INDEX sessions_expires ON sessions (expires);
    CREATE TABLE audit_log (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      ip TEXT NOT NULL DEFAULT '',
      uuid TEXT NOT NULL DEFAULT '',
      message TEXT NOT NULL,
      msg_type TEXT NOT NULL,
      time BIGINT NOT NULL
    );
    CREATE INDEX audit_log_time ON audit_log (time);
    CREATE TABLE login_addresses (
      seq BIGINT GENERATED ALWAYS AS IDENTITY,
      uuid TEXT NOT NULL,
      ip_key TEXT NOT NULL,
      last_login_at BIGINT NOT NULL,
      PRIMARY KEY (uuid, ip_key)
    );
    CREATE TABLE login_unlocks (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      reason TEXT NOT NULL,
      created_at BIGINT NOT NULL
    );
    CREATE INDEX login_unlocks_reason ON login_unlocks (reason, id);
  `,
};
