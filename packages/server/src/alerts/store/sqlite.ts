import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { inTransaction } from '../../store/sqlite/transaction.ts';
import { alertRows, json, sqliteAlertRows, type Columns } from './rows.ts';
import type { AlertStore } from './types.ts';


const { toOffline, toLoad, toPing, toChannel, toRecord, loadColumns, pingColumns, channelColumns, trafficReportColumns, offlineColumns } = alertRows(sqliteAlertRows);

function assignments(columns: Columns, patch: Record<string, unknown>): { sql: string; values: SQLInputValue[] } {
  const parts: string[] = [];
  const values: SQLInputValue[] = [];
  for (const [field, [column, encode]] of Object.entries(columns)) {
    if (!(field in patch) || patch[field] === undefined) continue;
    parts.push(`${column} = ?`);
    values.push(encode(patch[field] as never) as SQLInputValue);
  }
  return { sql: parts.join(', '), values };
}

function insert(db: DatabaseSync, table: string, columns: Columns, fields: Record<string, unknown>, extra: Record<string, SQLInputValue> = {}): number {
  const { sql, values } = assignments(columns, fields);
  const names = [...sql.split(', ').filter(Boolean).map((a) => a.replace(' = ?', '')), ...Object.keys(extra)];
  const all = [...values, ...Object.values(extra)];
  const r = db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...all);
  return Number(r.lastInsertRowid);
}

function editById(db: DatabaseSync, table: string, columns: Columns, patches: ReadonlyArray<{ id: number } & Record<string, unknown>>): number[] {
  return inTransaction(db, () => {
    const missing: number[] = [];
    for (const p of patches) {
      if (!db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(p.id)) {
        missing.push(p.id);
        continue;
      }
      const { sql, values } = assignments(columns, p);
      if (sql) db.prepare(`UPDATE ${table} SET ${sql} WHERE id = ?`).run(...values, p.id);
    }
    // All or nothing: an unknown id fails the whole edit.
    if (missing.length > 0) throw new MissingIds(missing);
    return missing;
  });
}

class MissingIds extends Error {
  readonly ids: number[];
  constructor(ids: number[]) {
    super(`no rule with id ${ids.join(', ')}`);
    this.ids = ids;
  }
}

function deleteByIds(db: DatabaseSync, table: string, ids: readonly number[]): number {
  return inTransaction(db, () => {
    let n = 0;
    const del = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
    for (const id of new Set(ids)) n += Number(del.run(id).changes);
    return n;
  });
}

function missingOf(fn: () => number[]): number[] {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MissingIds) return err.ids;
    throw err;
  }
}

export function sqliteAlerts(db: DatabaseSync): AlertStore {
  return {
    async senderConfig(name) {
      const r = db.prepare('SELECT name, addition FROM message_sender_providers WHERE name = ?').get(name);
      return r ? { name: String(r.name), addition: String(r.addition) } : undefined;
    },
    async setSenderConfig(row) {
      db.prepare('INSERT INTO message_sender_providers (name, addition) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET addition = excluded.addition').run(row.name, row.addition);
    },
    async insertMissingSenderConfigs(rows) {
      inTransaction(db, () => {
        const ins = db.prepare('INSERT OR IGNORE INTO message_sender_providers (name, addition) VALUES (?, ?)');
        for (const r of rows) ins.run(r.name, r.addition);
      });
    },

    async offlineRules() {
      return db.prepare('SELECT * FROM offline_notifications ORDER BY rowid').all().map(toOffline);
    },
    async upsertOfflineRules(rules) {
      inTransaction(db, () => {
        for (const r of rules) {
          db.prepare('INSERT OR IGNORE INTO offline_notifications (client) VALUES (?)').run(r.client);
          const { sql, values } = assignments(offlineColumns, r);
          if (sql) db.prepare(`UPDATE offline_notifications SET ${sql} WHERE client = ?`).run(...values, r.client);
        }
      });
    },
    async offlineStates() {
      return db.prepare('SELECT client, state, since FROM offline_states').all().map((r) => ({
        client: String(r.client),
        state: String(r.state) as 'up' | 'pending' | 'down',
        since: Number(r.since),
      }));
    },
    async setOfflineState(s) {
      db.prepare('INSERT INTO offline_states (client, state, since) VALUES (?, ?, ?) ON CONFLICT(client) DO UPDATE SET state = excluded.state, since = excluded.since').run(s.client, s.state, s.since);
    },

    async trafficReportRules() {
      return db.prepare('SELECT * FROM traffic_report_notifications ORDER BY rowid').all().map((r) => ({
        client: String(r.client),
        enable: r.enable === 1,
        daily: r.daily === 1,
        weekly: r.weekly === 1,
        monthly: r.monthly === 1,
      }));
    },
    async upsertTrafficReportRules(rules) {
      inTransaction(db, () => {
        for (const r of rules) {
          db.prepare('INSERT OR IGNORE INTO traffic_report_notifications (client) VALUES (?)').run(r.client);
          const { sql, values } = assignments(trafficReportColumns, r);
          if (sql) db.prepare(`UPDATE traffic_report_notifications SET ${sql} WHERE client = ?`).run(...values, r.client);
        }
      });
    },

    async loadRules() {
      return db.prepare('SELECT * FROM load_notifications ORDER BY id').all().map(toLoad);
    },
    async addLoadRule(rule) {
      return insert(db, 'load_notifications', loadColumns, rule as unknown as Record<string, unknown>);
    },
    async editLoadRules(patches) {
      return missingOf(() => editById(db, 'load_notifications', loadColumns, patches as never));
    },
    async deleteLoadRules(ids) {
      return deleteByIds(db, 'load_notifications', ids);
    },
    async setLoadRuleNotified(id, at) {
      db.prepare('UPDATE load_notifications SET last_notified = ? WHERE id = ?').run(at, id);
    },

    async pingRules() {
      return db.prepare('SELECT * FROM ping_alert_rules ORDER BY id').all().map(toPing);
    },
    async addPingRule(rule) {
      return insert(db, 'ping_alert_rules', pingColumns, rule as unknown as Record<string, unknown>);
    },
    async editPingRules(patches) {
      return missingOf(() => editById(db, 'ping_alert_rules', pingColumns, patches as never));
    },
    async deletePingRules(ids) {
      return deleteByIds(db, 'ping_alert_rules', ids);
    },

    async channels() {
      return db.prepare('SELECT * FROM alert_channels ORDER BY id').all().map(toChannel);
    },
    async addChannel(channel, at) {
      return insert(db, 'alert_channels', channelColumns, channel as unknown as Record<string, unknown>, { created_at: at });
    },
    async editChannel(id, patch) {
      return missingOf(() => editById(db, 'alert_channels', channelColumns, [{ ...patch, id }] as never)).length === 0;
    },
    async deleteChannel(id) {
      return deleteByIds(db, 'alert_channels', [id]) > 0;
    },

    async addRecord(r) {
      const res = db
        .prepare('INSERT INTO alert_history (kind, rule_id, node, nodes, event, message, fired_at, open) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(r.kind, r.ruleId, r.node, JSON.stringify(r.nodes), r.event, r.message, r.firedAt, r.open ? 1 : 0);
      return Number(res.lastInsertRowid);
    },
    async appendResults(id, results) {
      inTransaction(db, () => {
        const r = db.prepare('SELECT results FROM alert_history WHERE id = ?').get(id);
        if (!r) return;
        const all = [...json<unknown[]>(r.results, []), ...results];
        db.prepare('UPDATE alert_history SET results = ? WHERE id = ?').run(JSON.stringify(all), id);
      });
    },
    async resolveRecord(id, at) {
      db.prepare('UPDATE alert_history SET resolved_at = ?, open = 0 WHERE id = ?').run(at, id);
    },
    async openRecords() {
      return db.prepare('SELECT * FROM alert_history WHERE open = 1 ORDER BY id').all().map(toRecord);
    },
    async records({ limit, offset }) {
      const items = db.prepare('SELECT * FROM alert_history ORDER BY id DESC LIMIT ? OFFSET ?').all(limit, offset).map(toRecord);
      const total = Number(db.prepare('SELECT COUNT(*) AS n FROM alert_history').get()!.n);
      return { items, total };
    },
    async pruneRecords(keep) {
      const r = db
        .prepare('DELETE FROM alert_history WHERE open = 0 AND id NOT IN (SELECT id FROM alert_history ORDER BY id DESC LIMIT ?)')
        .run(keep);
      return Number(r.changes);
    },

    async trafficSteps() {
      return db.prepare('SELECT client, cycle_start, step FROM alert_traffic_steps').all().map((r) => ({
        client: String(r.client),
        cycleStart: Number(r.cycle_start),
        step: Number(r.step),
      }));
    },
    async setTrafficStep(client, cycleStart, step) {
      db.prepare('INSERT INTO alert_traffic_steps (client, cycle_start, step) VALUES (?, ?, ?) ON CONFLICT(client) DO UPDATE SET cycle_start = excluded.cycle_start, step = excluded.step').run(client, cycleStart, step);
    },

    async forgetNode(uuid) {
      inTransaction(db, () => {
        db.prepare('DELETE FROM offline_notifications WHERE client = ?').run(uuid);
        db.prepare('DELETE FROM offline_states WHERE client = ?').run(uuid);
        db.prepare('DELETE FROM traffic_report_notifications WHERE client = ?').run(uuid);
        db.prepare('DELETE FROM alert_traffic_steps WHERE client = ?').run(uuid);
        db.prepare("UPDATE alert_history SET open = 0, resolved_at = COALESCE(resolved_at, fired_at) WHERE node = ? AND open = 1").run(uuid);
      });
    },
  };
}
