import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from './transaction.ts';

/**
 * Dated migrations, applied in order, each once, each in its own transaction. Never edit a
 * migration that has shipped: add a new one.
 */
export interface Migration {
  id: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
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
  },
  {
    // History rollups (records.md §4, spec/README.md decision 6). Nodes are numbered in
    // history_nodes so each bucket row carries a small integer, not a 36-byte uuid; value columns
    // are REAL so sums beyond 2^53 still read back, and SQLite stores integral REALs as compact
    // integers. history_tiers remembers the widths written, so rows of a retired width are pruned.
    id: '2026-11-25-history-buckets',
    sql: `
      CREATE TABLE history_nodes (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE
      );
      CREATE TABLE history_tiers (
        width INTEGER PRIMARY KEY
      );
      CREATE TABLE history_buckets (
        node INTEGER NOT NULL,
        width INTEGER NOT NULL,
        start INTEGER NOT NULL,
        count INTEGER NOT NULL,
        gpu_count INTEGER NOT NULL,
        cpu_sum REAL NOT NULL,
        cpu_max REAL NOT NULL,
        gpu_sum REAL NOT NULL,
        gpu_max REAL NOT NULL,
        ram_sum REAL NOT NULL,
        ram_max REAL NOT NULL,
        swap_sum REAL NOT NULL,
        swap_max REAL NOT NULL,
        load_sum REAL NOT NULL,
        load_max REAL NOT NULL,
        disk_sum REAL NOT NULL,
        disk_max REAL NOT NULL,
        net_in_sum REAL NOT NULL,
        net_in_max REAL NOT NULL,
        net_out_sum REAL NOT NULL,
        net_out_max REAL NOT NULL,
        process_sum REAL NOT NULL,
        process_max REAL NOT NULL,
        connections_sum REAL NOT NULL,
        connections_max REAL NOT NULL,
        connections_udp_sum REAL NOT NULL,
        connections_udp_max REAL NOT NULL,
        last_at INTEGER NOT NULL,
        net_total_up REAL NOT NULL,
        net_total_down REAL NOT NULL,
        ram_total REAL NOT NULL,
        swap_total REAL NOT NULL,
        disk_total REAL NOT NULL,
        traffic_up REAL NOT NULL,
        traffic_down REAL NOT NULL,
        PRIMARY KEY (node, width, start)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Ping tasks (admin-api.md §4; Komari's table, `all_clients` = default_on) and ping history
    // (decision 6): one row per (series, width, bucket) with sent/lost counts so loss is exact.
    // Series are numbered in ping_series so a bucket row carries a small integer; ping_tiers
    // remembers the widths written, so rows of a retired width are pruned.
    id: '2026-11-26-ping-tasks-and-history',
    sql: `
      CREATE TABLE ping_tasks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        weight INTEGER NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        clients TEXT NOT NULL DEFAULT '[]',
        all_clients INTEGER NOT NULL DEFAULT 0,
        type TEXT NOT NULL DEFAULT 'icmp',
        target TEXT NOT NULL,
        "interval" INTEGER NOT NULL DEFAULT 60
      );
      CREATE INDEX ping_tasks_weight ON ping_tasks(weight, id);
      CREATE TABLE ping_series (
        id INTEGER PRIMARY KEY,
        task INTEGER NOT NULL,
        node TEXT NOT NULL,
        UNIQUE (task, node)
      );
      CREATE INDEX ping_series_node ON ping_series(node);
      CREATE TABLE ping_tiers (
        width INTEGER PRIMARY KEY
      );
      CREATE TABLE ping_buckets (
        series INTEGER NOT NULL,
        width INTEGER NOT NULL,
        start INTEGER NOT NULL,
        sent INTEGER NOT NULL,
        lost INTEGER NOT NULL,
        sum REAL NOT NULL,
        min INTEGER NOT NULL,
        max INTEGER NOT NULL,
        last INTEGER NOT NULL,
        last_at INTEGER NOT NULL,
        PRIMARY KEY (series, width, start)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Remote exec (admin-api.md §5): Komari's table names. Result rows are purged after 30 days
    // by creation time, tasks are kept; `seq` and the result `id` keep creation order.
    id: '2026-11-26-exec-tasks',
    sql: `
      CREATE TABLE tasks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL UNIQUE,
        clients TEXT NOT NULL DEFAULT '[]',
        command TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE task_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL,
        client TEXT NOT NULL,
        result TEXT NOT NULL DEFAULT '',
        exit_code INTEGER,
        finished_at INTEGER,
        created_at INTEGER NOT NULL,
        UNIQUE (task_id, client)
      );
      CREATE INDEX task_results_created ON task_results(created_at);
    `,
  },
  {
    // OAuth provider configurations (admin-api.md §3.5): Komari's table, `addition` a JSON string.
    id: '2026-12-07-oidc-providers',
    sql: `
      CREATE TABLE oidc_providers (
        name TEXT PRIMARY KEY,
        addition TEXT NOT NULL DEFAULT '{}'
      );
    `,
  },
  {
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
  },
  {
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
  },
  {
    // Komari's table and column names (admin-api.md §9), so a Komari import maps row to row.
    id: '2026-12-08-clipboard',
    sql: `
      CREATE TABLE clipboards (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        text TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        weight INTEGER NOT NULL DEFAULT 0,
        remark TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    // Remote control per node (issue 18): NULL follows the server-wide switch (remote_*_enabled),
    // 0/1 forces it off/on for this node. A node's row goes with the node.
    id: '2026-12-20-client-remote-control',
    sql: `
      CREATE TABLE client_remote_control (
        client TEXT PRIMARY KEY REFERENCES clients(uuid) ON DELETE CASCADE,
        exec INTEGER,
        terminal INTEGER,
        files INTEGER
      );
    `,
  },
  {
    // Each theme's saved settings (themes.md §7, §8.7), Komari's table. What was kept as settings
    // moves here: the single `theme_settings` object becomes the active theme's row, and the
    // Komari import's `theme_configurations` map (short → object) becomes one row per theme; a
    // `theme_settings` edited after that import wins for the active theme. An empty object made
    // no row (it was only the first-start default).
    id: '2026-12-21-theme-configurations',
    sql: `
      CREATE TABLE theme_configurations (
        short TEXT PRIMARY KEY,
        data TEXT NOT NULL
      );
      INSERT OR REPLACE INTO theme_configurations (short, data)
        SELECT j.key, j.value FROM settings s, json_each(s.value) j
        WHERE s.key = 'theme_configurations' AND json_valid(s.value) AND json_type(s.value) = 'object'
          AND j.type = 'object' AND j.key <> '';
      INSERT OR REPLACE INTO theme_configurations (short, data)
        SELECT COALESCE(
          (SELECT json_extract(t.value, '$') FROM settings t
           WHERE t.key = 'theme' AND json_valid(t.value) AND json_type(t.value) = 'text' AND json_extract(t.value, '$') <> ''),
          'default'), s.value
        FROM settings s
        WHERE s.key = 'theme_settings' AND json_valid(s.value) AND json_type(s.value) = 'object' AND s.value <> '{}';
      DELETE FROM settings WHERE key IN ('theme_settings', 'theme_configurations');
    `,
  },
  {
    // Which history buckets are stored with samples, 32 to a row (store/history-slots.ts): reads
    // over every node count buckets here. Filled from the buckets already stored; bits of one
    // block are distinct powers of two, so their SUM is their OR (SQLite has no bit_or).
    id: '2026-12-22-history-slots',
    sql: `
      CREATE TABLE history_slots (
        node INTEGER NOT NULL,
        width INTEGER NOT NULL,
        block INTEGER NOT NULL,
        bits INTEGER NOT NULL,
        PRIMARY KEY (node, width, block)
      ) WITHOUT ROWID;
      INSERT INTO history_slots (node, width, block, bits)
        SELECT node, width, block, SUM(1 << ((start - block) / (width * 1000))) FROM (
          SELECT node, width, start, start - (((start % (width * 32000)) + width * 32000) % (width * 32000)) AS block FROM history_buckets WHERE count > 0
        ) GROUP BY node, width, block;
    `,
  },
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
