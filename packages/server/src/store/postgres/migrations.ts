import type pg from 'pg';
import { StoreFileError } from '../errors.ts';

/**
 * The PostgreSQL schema, one dated migration each, applied in order and never edited once
 * shipped (as store/sqlite/migrations.ts). Each engine has its own list in its own dialect; the
 * store conformance suite (test/store-conformance/) holds them to the same behaviour.
 */
export interface PgMigration {
  id: string;
  sql: string;
}

export const pgMigrations: PgMigration[] = [
  {
    // Values are JSON text, as SQLite's table and Komari's `configs` keep them.
    id: '2026-12-07-settings',
    sql: `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  },
  {
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
  },
  {
    // SQLite's clients, clipboards, client_remote_control and theme_configurations in PostgreSQL's
    // dialect: INTEGER columns are BIGINT (SQLite's are 64-bit), flags BOOLEAN, the price DOUBLE
    // PRECISION. SQLite's theme migration also moved legacy settings keys into its table; a
    // PostgreSQL database never held them, so here the table starts empty.
    id: '2026-12-07-nodes-remote-control-themes-clipboard',
    sql: `
      CREATE TABLE clients (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        token TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        cpu_name TEXT NOT NULL DEFAULT '',
        virtualization TEXT NOT NULL DEFAULT '',
        arch TEXT NOT NULL DEFAULT '',
        cpu_cores BIGINT NOT NULL DEFAULT 0,
        cpu_physical_cores BIGINT NOT NULL DEFAULT 0,
        os TEXT NOT NULL DEFAULT '',
        kernel_version TEXT NOT NULL DEFAULT '',
        gpu_name TEXT NOT NULL DEFAULT '',
        ipv4 TEXT NOT NULL DEFAULT '',
        ipv6 TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        remark TEXT NOT NULL DEFAULT '',
        public_remark TEXT NOT NULL DEFAULT '',
        mem_total BIGINT NOT NULL DEFAULT 0,
        swap_total BIGINT NOT NULL DEFAULT 0,
        disk_total BIGINT NOT NULL DEFAULT 0,
        version TEXT NOT NULL DEFAULT '',
        weight BIGINT NOT NULL DEFAULT 0,
        price DOUBLE PRECISION NOT NULL DEFAULT 0,
        billing_cycle BIGINT NOT NULL DEFAULT 0,
        auto_renewal BOOLEAN NOT NULL DEFAULT FALSE,
        currency TEXT NOT NULL DEFAULT '$',
        expired_at BIGINT,
        "group" TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '',
        hidden BOOLEAN NOT NULL DEFAULT FALSE,
        traffic_limit BIGINT NOT NULL DEFAULT 0,
        traffic_limit_type TEXT NOT NULL DEFAULT 'max',
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE client_remote_control (
        client TEXT PRIMARY KEY REFERENCES clients(uuid) ON DELETE CASCADE,
        exec BOOLEAN,
        terminal BOOLEAN,
        files BOOLEAN
      );
      CREATE TABLE clipboards (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        text TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        weight BIGINT NOT NULL DEFAULT 0,
        remark TEXT NOT NULL DEFAULT '',
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE theme_configurations (
        short TEXT PRIMARY KEY,
        data TEXT NOT NULL
      );
    `,
  },
  {
    // SQLite's alerts tables (its migration 2026-12-08-alerts) in PostgreSQL's dialect: INTEGER
    // columns BIGINT, REAL ones DOUBLE PRECISION, flags BOOLEAN; JSON stays TEXT, written and read
    // as SQLite's is. \`seq\` stands in for SQLite's rowid where the order of insertion is the
    // order of a list (tables keyed by a node's uuid); an upsert keeps it, as it keeps a rowid.
    id: '2026-12-07-alerts',
    sql: `
      CREATE TABLE message_sender_providers (
        name TEXT PRIMARY KEY,
        addition TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE offline_notifications (
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        client TEXT PRIMARY KEY,
        enable BOOLEAN NOT NULL DEFAULT FALSE,
        grace_period BIGINT NOT NULL DEFAULT 180,
        last_notified BIGINT,
        channels TEXT,
        quiet TEXT
      );
      CREATE TABLE offline_states (
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        client TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        since BIGINT NOT NULL
      );
      CREATE TABLE load_notifications (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        clients TEXT NOT NULL DEFAULT '[]',
        metric TEXT NOT NULL DEFAULT 'cpu',
        threshold DOUBLE PRECISION NOT NULL DEFAULT 80,
        ratio DOUBLE PRECISION NOT NULL DEFAULT 0.8,
        "interval" BIGINT NOT NULL DEFAULT 15,
        last_notified BIGINT,
        consecutive BIGINT NOT NULL DEFAULT 1,
        reminder_minutes BIGINT NOT NULL DEFAULT 0,
        notify_resolved BOOLEAN NOT NULL DEFAULT TRUE,
        channels TEXT,
        quiet TEXT
      );
      CREATE TABLE ping_alert_rules (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        name TEXT NOT NULL DEFAULT '',
        enabled BOOLEAN NOT NULL DEFAULT TRUE,
        task_id BIGINT NOT NULL,
        clients TEXT NOT NULL DEFAULT '[]',
        loss_percent DOUBLE PRECISION NOT NULL DEFAULT 0,
        latency_ms DOUBLE PRECISION NOT NULL DEFAULT 0,
        window_minutes BIGINT NOT NULL DEFAULT 5,
        reminder_minutes BIGINT NOT NULL DEFAULT 0,
        notify_resolved BOOLEAN NOT NULL DEFAULT TRUE,
        channels TEXT,
        quiet TEXT
      );
      CREATE TABLE alert_channels (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        config TEXT NOT NULL DEFAULT '{}',
        enabled BOOLEAN NOT NULL DEFAULT TRUE,
        template TEXT NOT NULL DEFAULT '',
        created_at BIGINT NOT NULL
      );
      CREATE TABLE alert_history (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        kind TEXT NOT NULL,
        rule_id BIGINT,
        node TEXT NOT NULL DEFAULT '',
        nodes TEXT NOT NULL DEFAULT '[]',
        event TEXT NOT NULL,
        message TEXT NOT NULL DEFAULT '',
        fired_at BIGINT NOT NULL,
        resolved_at BIGINT,
        open BOOLEAN NOT NULL DEFAULT FALSE,
        results TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX alert_history_open ON alert_history (open) WHERE open;
      CREATE TABLE alert_traffic_steps (
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        client TEXT PRIMARY KEY,
        cycle_start BIGINT NOT NULL,
        step BIGINT NOT NULL
      );
      CREATE TABLE traffic_report_notifications (
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        client TEXT PRIMARY KEY,
        enable BOOLEAN NOT NULL DEFAULT FALSE,
        daily BOOLEAN NOT NULL DEFAULT FALSE,
        weekly BOOLEAN NOT NULL DEFAULT FALSE,
        monthly BOOLEAN NOT NULL DEFAULT FALSE
      );
    `,
  },
  {
    // SQLite's ping_tasks, ping_series, ping_tiers and ping_buckets (its 2026-11-26 migration).
    // `clients` stays a JSON array in TEXT, as SQLite and Komari keep it. Latencies (sum, min,
    // max, last) are DOUBLE PRECISION: SQLite's INTEGER columns hand back a fractional value as
    // given, a BIGINT would refuse it; counts and times are BIGINT.
    id: '2026-12-07-ping',
    sql: `
      CREATE TABLE ping_tasks (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        weight BIGINT NOT NULL DEFAULT 0,
        name TEXT NOT NULL,
        clients TEXT NOT NULL DEFAULT '[]',
        all_clients BOOLEAN NOT NULL DEFAULT FALSE,
        type TEXT NOT NULL DEFAULT 'icmp',
        target TEXT NOT NULL,
        "interval" BIGINT NOT NULL DEFAULT 60
      );
      CREATE INDEX ping_tasks_weight ON ping_tasks (weight, id);
      CREATE TABLE ping_series (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        task BIGINT NOT NULL,
        node TEXT NOT NULL,
        UNIQUE (task, node)
      );
      CREATE INDEX ping_series_node ON ping_series (node);
      CREATE TABLE ping_tiers (
        width BIGINT PRIMARY KEY
      );
      CREATE TABLE ping_buckets (
        series BIGINT NOT NULL,
        width BIGINT NOT NULL,
        start BIGINT NOT NULL,
        sent BIGINT NOT NULL,
        lost BIGINT NOT NULL,
        sum DOUBLE PRECISION NOT NULL,
        min DOUBLE PRECISION NOT NULL,
        max DOUBLE PRECISION NOT NULL,
        last DOUBLE PRECISION NOT NULL,
        last_at BIGINT NOT NULL,
        PRIMARY KEY (series, width, start)
      );
    `,
  },
  {
    // SQLite's history rollups (its 2026-11-25-history-buckets) in PostgreSQL's dialect: REAL is
    // DOUBLE PRECISION (both 8-byte floats, so values read back bit for bit), INTEGER is BIGINT.
    // The primary key leads with the node, as SQLite's, so range/latest are one index seek; prune
    // reaches every node through history_nodes. Buckets cascade from their node, so a write racing
    // a node's deletion cannot leave rows no node owns.
    id: '2026-12-07-history',
    sql: `
      CREATE TABLE history_nodes (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE
      );
      CREATE TABLE history_tiers (
        width BIGINT PRIMARY KEY
      );
      CREATE TABLE history_buckets (
        node BIGINT NOT NULL REFERENCES history_nodes(id) ON DELETE CASCADE,
        width BIGINT NOT NULL,
        start BIGINT NOT NULL,
        count BIGINT NOT NULL,
        gpu_count BIGINT NOT NULL,
        cpu_sum DOUBLE PRECISION NOT NULL,
        cpu_max DOUBLE PRECISION NOT NULL,
        gpu_sum DOUBLE PRECISION NOT NULL,
        gpu_max DOUBLE PRECISION NOT NULL,
        ram_sum DOUBLE PRECISION NOT NULL,
        ram_max DOUBLE PRECISION NOT NULL,
        swap_sum DOUBLE PRECISION NOT NULL,
        swap_max DOUBLE PRECISION NOT NULL,
        load_sum DOUBLE PRECISION NOT NULL,
        load_max DOUBLE PRECISION NOT NULL,
        disk_sum DOUBLE PRECISION NOT NULL,
        disk_max DOUBLE PRECISION NOT NULL,
        net_in_sum DOUBLE PRECISION NOT NULL,
        net_in_max DOUBLE PRECISION NOT NULL,
        net_out_sum DOUBLE PRECISION NOT NULL,
        net_out_max DOUBLE PRECISION NOT NULL,
        process_sum DOUBLE PRECISION NOT NULL,
        process_max DOUBLE PRECISION NOT NULL,
        connections_sum DOUBLE PRECISION NOT NULL,
        connections_max DOUBLE PRECISION NOT NULL,
        connections_udp_sum DOUBLE PRECISION NOT NULL,
        connections_udp_max DOUBLE PRECISION NOT NULL,
        last_at BIGINT NOT NULL,
        net_total_up DOUBLE PRECISION NOT NULL,
        net_total_down DOUBLE PRECISION NOT NULL,
        ram_total DOUBLE PRECISION NOT NULL,
        swap_total DOUBLE PRECISION NOT NULL,
        disk_total DOUBLE PRECISION NOT NULL,
        traffic_up DOUBLE PRECISION NOT NULL,
        traffic_down DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (node, width, start)
      );
    `,
  },
  {
    // SQLite's tasks, task_results (2026-11-26-exec-tasks) and oidc_providers in PostgreSQL's
    // dialect. `clients` stays JSON text as in SQLite, so a snapshot copies it unchanged; `seq`
    // and the result `id` keep creation order as SQLite's AUTOINCREMENT columns do.
    id: '2026-12-07-exec-oidc',
    sql: `
      CREATE TABLE tasks (
        seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        task_id TEXT NOT NULL UNIQUE,
        clients TEXT NOT NULL DEFAULT '[]',
        command TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE task_results (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        task_id TEXT NOT NULL,
        client TEXT NOT NULL,
        result TEXT NOT NULL DEFAULT '',
        exit_code BIGINT,
        finished_at BIGINT,
        created_at BIGINT NOT NULL,
        UNIQUE (task_id, client)
      );
      CREATE INDEX task_results_created ON task_results (created_at);
      CREATE INDEX task_results_client ON task_results (client);
      CREATE TABLE oidc_providers (
        name TEXT PRIMARY KEY,
        addition TEXT NOT NULL DEFAULT '{}'
      );
    `,
  },
  {
    // SQLite's 2026-12-22-history-slots: which history buckets are stored with samples, 32 to a
    // row (store/history-slots.ts), filled from the buckets already stored.
    id: '2026-12-22-history-slots',
    sql: `
      CREATE TABLE history_slots (
        node BIGINT NOT NULL REFERENCES history_nodes(id) ON DELETE CASCADE,
        width BIGINT NOT NULL,
        block BIGINT NOT NULL,
        bits BIGINT NOT NULL,
        PRIMARY KEY (node, width, block)
      );
      INSERT INTO history_slots (node, width, block, bits)
        SELECT node, width, block, bit_or(1::bigint << ((start - block) / (width * 1000))::int) FROM (
          SELECT node, width, start, start - (((start % (width * 32000)) + width * 32000) % (width * 32000)) AS block FROM history_buckets WHERE count > 0
        ) b GROUP BY node, width, block;
    `,
  },
];

/** Any fixed 64-bit number: replicas starting at once take turns at migrating. */
const migrationLockKey = 0x6b6f6d617269; // "komari"

/**
 * Applies the migrations this version has and the database lacks, each in its own transaction,
 * under an advisory lock so two replicas never migrate at once. A database that has a migration
 * this version does not know was written by a newer komari-ts: refused, nothing changed.
 */
export async function migratePg(pool: pg.Pool, migrations: PgMigration[] = pgMigrations): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const applied = new Set((await client.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
      const known = new Set(migrations.map((m) => m.id));
      const unknown = [...applied].filter((id) => !known.has(id)).sort();
      if (unknown.length > 0) {
        throw new StoreFileError(
          `the PostgreSQL schema is newer than this komari-ts knows (it has migration ${unknown.at(-1)}); upgrade komari-ts, or point KOMARI_DB at another database`,
        );
      }
      for (const m of migrations) {
        if (applied.has(m.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
}
