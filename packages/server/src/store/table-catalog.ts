/**
 * Every table of the store with the columns both engines have, for copying a whole database from
 * one engine to the other (`komari migrate`, store/types.ts TableStore). The kinds say how a value
 * crosses engines: SQLite keeps flags as 0/1 where PostgreSQL has BOOLEAN, and PostgreSQL hands
 * BIGINT back as text. PostgreSQL's own `seq` columns (its stand-in for SQLite's rowid) are not
 * listed: a copy inserts rows in insertion order, so each engine numbers them as it did.
 *
 * The store conformance suite checks this list against both engines' schemas, so a migration that
 * adds a table or a column fails a test until it is listed here (and `komari migrate` copies it).
 */
export type ColumnKind = 'text' | 'int' | 'real' | 'bool';

export interface TableSpec {
  name: string;
  /** column → kind, in SQLite's column order (a copied row is these values, in this order) */
  columns: Readonly<Record<string, ColumnKind>>;
  /**
   * The column whose values the database hands out (SQLite AUTOINCREMENT or INTEGER PRIMARY KEY,
   * PostgreSQL IDENTITY): a copy keeps the ids, and the next id past the highest ever given.
   */
  idColumn?: string;
}

const text = 'text';
const int = 'int';
const real = 'real';
const bool = 'bool';

const gauges = ['cpu', 'gpu', 'ram', 'swap', 'load', 'disk', 'net_in', 'net_out', 'process', 'connections', 'connections_udp'];

/** In copy order: a table comes after the tables its rows reference (clients, history_nodes). */
export const storeTables: readonly TableSpec[] = [
  { name: 'settings', columns: { key: text, value: text } },
  {
    name: 'accounts',
    columns: {
      uuid: text, username: text, password_hash: text, sso_type: text, sso_id: text, two_factor: text,
      created_at: int, updated_at: int, totp_last_step: int,
    },
  },
  {
    name: 'sessions',
    columns: {
      session: text, uuid: text, user_agent: text, ip: text, login_method: text, latest_online: int,
      latest_user_agent: text, latest_ip: text, expires: int, created_at: int,
    },
  },
  { name: 'login_addresses', columns: { uuid: text, ip_key: text, last_login_at: int } },
  { name: 'login_unlocks', columns: { id: int, reason: text, created_at: int }, idColumn: 'id' },
  { name: 'audit_log', columns: { id: int, ip: text, uuid: text, message: text, msg_type: text, time: int }, idColumn: 'id' },
  {
    name: 'clients',
    columns: {
      seq: int, uuid: text, token: text, name: text, cpu_name: text, virtualization: text, arch: text, cpu_cores: int,
      cpu_physical_cores: int, os: text, kernel_version: text, gpu_name: text, ipv4: text, ipv6: text, region: text,
      remark: text, public_remark: text, mem_total: int, swap_total: int, disk_total: int, version: text, weight: int,
      price: real, billing_cycle: int, auto_renewal: bool, currency: text, expired_at: int, group: text, tags: text,
      hidden: bool, traffic_limit: int, traffic_limit_type: text, created_at: int, updated_at: int,
    },
    idColumn: 'seq',
  },
  { name: 'client_remote_control', columns: { client: text, exec: bool, terminal: bool, files: bool } },
  {
    name: 'clipboards',
    columns: { id: int, text: text, name: text, weight: int, remark: text, created_at: int, updated_at: int },
    idColumn: 'id',
  },
  { name: 'theme_configurations', columns: { short: text, data: text } },
  { name: 'oidc_providers', columns: { name: text, addition: text } },
  { name: 'message_sender_providers', columns: { name: text, addition: text } },
  {
    name: 'offline_notifications',
    columns: { client: text, enable: bool, grace_period: int, last_notified: int, channels: text, quiet: text },
  },
  { name: 'offline_states', columns: { client: text, state: text, since: int } },
  {
    name: 'load_notifications',
    columns: {
      id: int, name: text, clients: text, metric: text, threshold: real, ratio: real, interval: int, last_notified: int,
      consecutive: int, reminder_minutes: int, notify_resolved: bool, channels: text, quiet: text,
    },
    idColumn: 'id',
  },
  {
    name: 'ping_alert_rules',
    columns: {
      id: int, name: text, enabled: bool, task_id: int, clients: text, loss_percent: real, latency_ms: real,
      window_minutes: int, reminder_minutes: int, notify_resolved: bool, channels: text, quiet: text,
    },
    idColumn: 'id',
  },
  {
    name: 'alert_channels',
    columns: { id: int, kind: text, name: text, config: text, enabled: bool, template: text, created_at: int },
    idColumn: 'id',
  },
  {
    name: 'alert_history',
    columns: {
      id: int, kind: text, rule_id: int, node: text, nodes: text, event: text, message: text, fired_at: int,
      resolved_at: int, open: bool, results: text,
    },
    idColumn: 'id',
  },
  { name: 'alert_traffic_steps', columns: { client: text, cycle_start: int, step: int } },
  { name: 'traffic_report_notifications', columns: { client: text, enable: bool, daily: bool, weekly: bool, monthly: bool } },
  {
    name: 'ping_tasks',
    columns: { id: int, weight: int, name: text, clients: text, all_clients: bool, type: text, target: text, interval: int },
    idColumn: 'id',
  },
  { name: 'ping_series', columns: { id: int, task: int, node: text }, idColumn: 'id' },
  { name: 'ping_tiers', columns: { width: int } },
  {
    name: 'ping_buckets',
    // latencies are REAL in PostgreSQL; SQLite's INTEGER columns keep a fractional value as given
    columns: {
      series: int, width: int, start: int, sent: int, lost: int, sum: real, min: real, max: real, last: real, last_at: int,
    },
  },
  { name: 'history_nodes', columns: { id: int, uuid: text }, idColumn: 'id' },
  { name: 'history_tiers', columns: { width: int } },
  {
    name: 'history_buckets',
    columns: {
      node: int, width: int, start: int, count: int, gpu_count: int,
      ...Object.fromEntries(gauges.flatMap((g) => [[`${g}_sum`, real], [`${g}_max`, real]])),
      last_at: int, net_total_up: real, net_total_down: real, ram_total: real, swap_total: real, disk_total: real,
      traffic_up: real, traffic_down: real,
    },
  },
  // which buckets of a node and width hold samples, 32 to a row (history/fleet-load.ts)
  { name: 'history_slots', columns: { node: int, width: int, block: int, bits: int } },
  { name: 'tasks', columns: { seq: int, task_id: text, clients: text, command: text, created_at: int }, idColumn: 'seq' },
  {
    name: 'task_results',
    columns: {
      id: int, task_id: text, client: text, result: text, exit_code: int, finished_at: int, created_at: int,
    },
    idColumn: 'id',
  },
];

const byName = new Map(storeTables.map((t) => [t.name, t]));

/** The table's spec; an unknown name is a programming error, never SQL built from it. */
export function tableSpec(name: string): TableSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`no such store table: ${name}`);
  return spec;
}

/** A name as a quoted SQL identifier (both engines); only names of this catalog are ever quoted. */
export const quoteName = (name: string): string => `"${name.replace(/"/g, '""')}"`;
