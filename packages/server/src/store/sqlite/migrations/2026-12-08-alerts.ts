import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  // Alerts (issue 13). Komari's tables keep Komari's columns (so its data imports one to one),
  // komari-ts's additions sit beside them: channels chosen per rule, quiet hours, resolve and
  // reminder settings, and the offline watcher's state, which survives a restart.
  id: '2026-12-08-alerts',
  sql: `
    CREATE TABLE message_sender_providers (
      name TEXT PRIMARY KEY,
      addition TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE offline_notifications (
      client TEXT PRIMARY KEY,
      enable INTEGER NOT NULL DEFAULT 0,
      grace_period INTEGER NOT NULL DEFAULT 180,
      last_notified INTEGER,
      channels TEXT,
      quiet TEXT
    );
    CREATE TABLE offline_states (
      client TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      since INTEGER NOT NULL
    );
    CREATE TABLE load_notifications (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL DEFAULT '',
      clients TEXT NOT NULL DEFAULT '[]',
      metric TEXT NOT NULL DEFAULT 'cpu',
      threshold REAL NOT NULL DEFAULT 80,
      ratio REAL NOT NULL DEFAULT 0.8,
      interval INTEGER NOT NULL DEFAULT 15,
      last_notified INTEGER,
      consecutive INTEGER NOT NULL DEFAULT 1,
      reminder_minutes INTEGER NOT NULL DEFAULT 0,
      notify_resolved INTEGER NOT NULL DEFAULT 1,
      channels TEXT,
      quiet TEXT
    );
    CREATE TABLE ping_alert_rules (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL DEFAULT '',
      enabled INTEGER NOT NULL DEFAULT 1,
      task_id INTEGER NOT NULL,
      clients TEXT NOT NULL DEFAULT '[]',
      loss_percent REAL NOT NULL DEFAULT 0,
      latency_ms REAL NOT NULL DEFAULT 0,
      window_minutes INTEGER NOT NULL DEFAULT 5,
      reminder_minutes INTEGER NOT NULL DEFAULT 0,
      notify_resolved INTEGER NOT NULL DEFAULT 1,
      channels TEXT,
      quiet TEXT
    );
    CREATE TABLE alert_channels (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      config TEXT NOT NULL DEFAULT '{}',
      enabled INTEGER NOT NULL DEFAULT 1,
      template TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL
    );
    CREATE TABLE alert_history (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      rule_id INTEGER,
      node TEXT NOT NULL DEFAULT '',
      nodes TEXT NOT NULL DEFAULT '[]',
      event TEXT NOT NULL,
      message TEXT NOT NULL DEFAULT '',
      fired_at INTEGER NOT NULL,
      resolved_at INTEGER,
      open INTEGER NOT NULL DEFAULT 0,
      results TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX alert_history_open ON alert_history(open) WHERE open = 1;
    CREATE TABLE alert_traffic_steps (
      client TEXT PRIMARY KEY,
      cycle_start INTEGER NOT NULL,
      step INTEGER NOT NULL
    );
    CREATE TABLE traffic_report_notifications (
      client TEXT PRIMARY KEY,
      enable INTEGER NOT NULL DEFAULT 0,
      daily INTEGER NOT NULL DEFAULT 0,
      weekly INTEGER NOT NULL DEFAULT 0,
      monthly INTEGER NOT NULL DEFAULT 0
    );
  `,
};
