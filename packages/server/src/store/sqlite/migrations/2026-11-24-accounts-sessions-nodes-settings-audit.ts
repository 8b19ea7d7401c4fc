import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  id: '2026-11-24-accounts-sessions-nodes-settings-audit',
  sql: `
    CREATE TABLE accounts (
      uuid TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      sso_type TEXT NOT NULL DEFAULT '',
      sso_id TEXT NOT NULL DEFAULT '',
      two_factor TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE sessions (
      session TEXT PRIMARY KEY,
      uuid TEXT NOT NULL,
      user_agent TEXT NOT NULL DEFAULT '',
      ip TEXT NOT NULL DEFAULT '',
      login_method TEXT NOT NULL DEFAULT 'password',
      latest_online INTEGER NOT NULL,
      latest_user_agent TEXT NOT NULL DEFAULT '',
      latest_ip TEXT NOT NULL DEFAULT '',
      expires INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_expires ON sessions(expires);
    CREATE TABLE clients (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      uuid TEXT NOT NULL UNIQUE,
      token TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL DEFAULT '',
      cpu_name TEXT NOT NULL DEFAULT '',
      virtualization TEXT NOT NULL DEFAULT '',
      arch TEXT NOT NULL DEFAULT '',
      cpu_cores INTEGER NOT NULL DEFAULT 0,
      cpu_physical_cores INTEGER NOT NULL DEFAULT 0,
      os TEXT NOT NULL DEFAULT '',
      kernel_version TEXT NOT NULL DEFAULT '',
      gpu_name TEXT NOT NULL DEFAULT '',
      ipv4 TEXT NOT NULL DEFAULT '',
      ipv6 TEXT NOT NULL DEFAULT '',
      region TEXT NOT NULL DEFAULT '',
      remark TEXT NOT NULL DEFAULT '',
      public_remark TEXT NOT NULL DEFAULT '',
      mem_total INTEGER NOT NULL DEFAULT 0,
      swap_total INTEGER NOT NULL DEFAULT 0,
      disk_total INTEGER NOT NULL DEFAULT 0,
      version TEXT NOT NULL DEFAULT '',
      weight INTEGER NOT NULL DEFAULT 0,
      price REAL NOT NULL DEFAULT 0,
      billing_cycle INTEGER NOT NULL DEFAULT 0,
      auto_renewal INTEGER NOT NULL DEFAULT 0,
      currency TEXT NOT NULL DEFAULT '$',
      expired_at INTEGER,
      "group" TEXT NOT NULL DEFAULT '',
      tags TEXT NOT NULL DEFAULT '',
      hidden INTEGER NOT NULL DEFAULT 0,
      traffic_limit INTEGER NOT NULL DEFAULT 0,
      traffic_limit_type TEXT NOT NULL DEFAULT 'max',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      ip TEXT NOT NULL DEFAULT '',
      uuid TEXT NOT NULL DEFAULT '',
      message TEXT NOT NULL,
      msg_type TEXT NOT NULL,
      time INTEGER NOT NULL
    );
    CREATE INDEX audit_log_time ON audit_log(time);
  `,
};
