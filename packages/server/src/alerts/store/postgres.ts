import type pg from 'pg';
import { inPgTransaction } from '../../store/postgres/connection.ts';
import { alertRows, json, pgAlertRows, type Columns, type Row } from './rows.ts';
import type { AlertStore } from './types.ts';

type Queryable = pg.Pool | pg.PoolClient;

/**
 * An id no row can have (1.5, NaN, 2^60): SQLite simply matches nothing, PostgreSQL would refuse
 * it as a BIGINT (or round it), so such ids never reach a query.
 */
const possibleId = (id: number): boolean => Number.isSafeInteger(id);

const { toOffline, toLoad, toPing, toChannel, toRecord, loadColumns, pingColumns, channelColumns, trafficReportColumns, offlineColumns } = alertRows(pgAlertRows);

/** The columns a patch sets and their values, in order. */
function fieldsOf(columns: Columns, patch: Record<string, unknown>): { names: string[]; values: unknown[] } {
  const names: string[] = [];
  const values: unknown[] = [];
  for (const [field, [column, encode]] of Object.entries(columns)) {
    if (!(field in patch) || patch[field] === undefined) continue;
    names.push(column);
    values.push(encode(patch[field] as never));
  }
  return { names, values };
}

/** `a = $1, b = $2` from `from` on; `values` follow. */
const setList = (names: string[], from = 1): string => names.map((n, i) => `${n} = $${i + from}`).join(', ');

async function insert(db: Queryable, table: string, columns: Columns, fields: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<number> {
  const f = fieldsOf(columns, fields);
  const names = [...f.names, ...Object.keys(extra)];
  const values = [...f.values, ...Object.values(extra)];
  const sql = names.length
    ? `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`
    : `INSERT INTO ${table} DEFAULT VALUES RETURNING id`;
  return Number((await db.query(sql, values)).rows[0].id);
}

/** Thrown inside the transaction so an unknown id rolls every patch back, as SQLite's does. */
class MissingIds extends Error {
  readonly ids: number[];
  constructor(ids: number[]) {
    super(`no rule with id ${ids.join(', ')}`);
    this.ids = ids;
  }
}

async function editById(pool: pg.Pool, table: string, columns: Columns, patches: ReadonlyArray<{ id: number } & Record<string, unknown>>): Promise<number[]> {
  try {
    return await inPgTransaction(pool, async (c) => {
      const missing: number[] = [];
      for (const p of patches) {
        // FOR UPDATE: a delete at once cannot slip between the check and the update.
        if (!possibleId(p.id) || (await c.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [p.id])).rowCount === 0) {
          missing.push(p.id);
          continue;
        }
        const { names, values } = fieldsOf(columns, p);
        if (names.length) await c.query(`UPDATE ${table} SET ${setList(names)} WHERE id = $${names.length + 1}`, [...values, p.id]);
      }
      if (missing.length > 0) throw new MissingIds(missing);
      return missing;
    });
  } catch (err) {
    if (err instanceof MissingIds) return err.ids;
    throw err;
  }
}

async function deleteByIds(pool: pg.Pool, table: string, ids: readonly number[]): Promise<number> {
  const wanted = [...new Set(ids)].filter(possibleId);
  if (wanted.length === 0) return 0;
  return (await pool.query(`DELETE FROM ${table} WHERE id = ANY($1::bigint[])`, [wanted])).rowCount!;
}

/** Upserts rows keyed by client: the row is made when missing, then only the given fields change. */
async function upsertByClient(pool: pg.Pool, table: string, columns: Columns, rows: ReadonlyArray<{ client: string } & Record<string, unknown>>): Promise<void> {
  await inPgTransaction(pool, async (c) => {
    for (const r of rows) {
      await c.query(`INSERT INTO ${table} (client) VALUES ($1) ON CONFLICT (client) DO NOTHING`, [r.client]);
      const { names, values } = fieldsOf(columns, r);
      if (names.length) await c.query(`UPDATE ${table} SET ${setList(names)} WHERE client = $${names.length + 1}`, [...values, r.client]);
    }
  });
}

/**
 * SQLite's LIMIT/OFFSET: a negative limit means none, a negative offset means 0 (PostgreSQL
 * refuses both). LIMIT NULL is PostgreSQL's LIMIT ALL.
 */
const sqlLimit = (n: number): number | null => (n < 0 ? null : n);
const sqlOffset = (n: number): number => Math.max(0, n);

/** Alerting's tables in PostgreSQL, held to SQLite's `sqliteAlerts` by the store conformance suite. */
export function pgAlerts(pool: pg.Pool): AlertStore {
  return {
    async senderConfig(name) {
      const r = (await pool.query('SELECT name, addition FROM message_sender_providers WHERE name = $1', [name])).rows[0] as Row | undefined;
      return r ? { name: String(r.name), addition: String(r.addition) } : undefined;
    },
    async setSenderConfig(row) {
      await pool.query(
        'INSERT INTO message_sender_providers (name, addition) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET addition = excluded.addition',
        [row.name, row.addition],
      );
    },
    async insertMissingSenderConfigs(rows) {
      await inPgTransaction(pool, async (c) => {
        for (const r of rows) {
          await c.query('INSERT INTO message_sender_providers (name, addition) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [r.name, r.addition]);
        }
      });
    },

    async offlineRules() {
      return (await pool.query('SELECT * FROM offline_notifications ORDER BY seq')).rows.map(toOffline);
    },
    async upsertOfflineRules(rules) {
      await upsertByClient(pool, 'offline_notifications', offlineColumns, rules as never);
    },
    async offlineStates() {
      return (await pool.query('SELECT client, state, since FROM offline_states ORDER BY seq')).rows.map((r: Row) => ({
        client: String(r.client),
        state: String(r.state) as 'up' | 'pending' | 'down',
        since: Number(r.since),
      }));
    },
    async setOfflineState(s) {
      await pool.query(
        'INSERT INTO offline_states (client, state, since) VALUES ($1, $2, $3) ON CONFLICT (client) DO UPDATE SET state = excluded.state, since = excluded.since',
        [s.client, s.state, s.since],
      );
    },

    async trafficReportRules() {
      return (await pool.query('SELECT * FROM traffic_report_notifications ORDER BY seq')).rows.map((r: Row) => ({
        client: String(r.client),
        enable: r.enable === true,
        daily: r.daily === true,
        weekly: r.weekly === true,
        monthly: r.monthly === true,
      }));
    },
    async upsertTrafficReportRules(rules) {
      await upsertByClient(pool, 'traffic_report_notifications', trafficReportColumns, rules as never);
    },

    async loadRules() {
      return (await pool.query('SELECT * FROM load_notifications ORDER BY id')).rows.map(toLoad);
    },
    async addLoadRule(rule) {
      return insert(pool, 'load_notifications', loadColumns, rule as unknown as Row);
    },
    async editLoadRules(patches) {
      return editById(pool, 'load_notifications', loadColumns, patches as never);
    },
    async deleteLoadRules(ids) {
      return deleteByIds(pool, 'load_notifications', ids);
    },
    async setLoadRuleNotified(id, at) {
      if (!possibleId(id)) return;
      await pool.query('UPDATE load_notifications SET last_notified = $1 WHERE id = $2', [at, id]);
    },

    async pingRules() {
      return (await pool.query('SELECT * FROM ping_alert_rules ORDER BY id')).rows.map(toPing);
    },
    async addPingRule(rule) {
      return insert(pool, 'ping_alert_rules', pingColumns, rule as unknown as Row);
    },
    async editPingRules(patches) {
      return editById(pool, 'ping_alert_rules', pingColumns, patches as never);
    },
    async deletePingRules(ids) {
      return deleteByIds(pool, 'ping_alert_rules', ids);
    },

    async channels() {
      return (await pool.query('SELECT * FROM alert_channels ORDER BY id')).rows.map(toChannel);
    },
    async addChannel(channel, at) {
      return insert(pool, 'alert_channels', channelColumns, channel as unknown as Row, { created_at: at });
    },
    async editChannel(id, patch) {
      return (await editById(pool, 'alert_channels', channelColumns, [{ ...patch, id }] as never)).length === 0;
    },
    async deleteChannel(id) {
      return (await deleteByIds(pool, 'alert_channels', [id])) > 0;
    },

    async addRecord(r) {
      const res = await pool.query(
        'INSERT INTO alert_history (kind, rule_id, node, nodes, event, message, fired_at, open) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
        [r.kind, r.ruleId, r.node, JSON.stringify(r.nodes), r.event, r.message, r.firedAt, r.open],
      );
      return Number(res.rows[0].id);
    },
    async appendResults(id, results) {
      if (!possibleId(id)) return;
      // Read and write under the row's lock: two appends at once both land (READ COMMITTED
      // alone would let the second overwrite the first).
      await inPgTransaction(pool, async (c) => {
        const r = (await c.query('SELECT results FROM alert_history WHERE id = $1 FOR UPDATE', [id])).rows[0] as Row | undefined;
        if (!r) return;
        const all = [...json<unknown[]>(r.results, []), ...results];
        await c.query('UPDATE alert_history SET results = $1 WHERE id = $2', [JSON.stringify(all), id]);
      });
    },
    async resolveRecord(id, at) {
      if (!possibleId(id)) return;
      await pool.query('UPDATE alert_history SET resolved_at = $1, open = FALSE WHERE id = $2', [at, id]);
    },
    async openRecords() {
      return (await pool.query('SELECT * FROM alert_history WHERE open ORDER BY id')).rows.map(toRecord);
    },
    async records({ limit, offset }) {
      // One snapshot for the page and the count, so they agree.
      return inPgTransaction(pool, async (c) => {
        await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        const items = (await c.query('SELECT * FROM alert_history ORDER BY id DESC LIMIT $1 OFFSET $2', [sqlLimit(limit), sqlOffset(offset)])).rows.map(toRecord);
        const total = Number((await c.query('SELECT count(*) AS n FROM alert_history')).rows[0].n);
        return { items, total };
      });
    },
    async pruneRecords(keep) {
      const res = await pool.query(
        'DELETE FROM alert_history WHERE NOT open AND id NOT IN (SELECT id FROM alert_history ORDER BY id DESC LIMIT $1)',
        [sqlLimit(keep)],
      );
      return res.rowCount!;
    },

    async trafficSteps() {
      return (await pool.query('SELECT client, cycle_start, step FROM alert_traffic_steps ORDER BY seq')).rows.map((r: Row) => ({
        client: String(r.client),
        cycleStart: Number(r.cycle_start),
        step: Number(r.step),
      }));
    },
    async setTrafficStep(client, cycleStart, step) {
      await pool.query(
        'INSERT INTO alert_traffic_steps (client, cycle_start, step) VALUES ($1, $2, $3) ON CONFLICT (client) DO UPDATE SET cycle_start = excluded.cycle_start, step = excluded.step',
        [client, cycleStart, step],
      );
    },

    async forgetNode(uuid) {
      await inPgTransaction(pool, async (c) => {
        await c.query('DELETE FROM offline_notifications WHERE client = $1', [uuid]);
        await c.query('DELETE FROM offline_states WHERE client = $1', [uuid]);
        await c.query('DELETE FROM traffic_report_notifications WHERE client = $1', [uuid]);
        await c.query('DELETE FROM alert_traffic_steps WHERE client = $1', [uuid]);
        await c.query('UPDATE alert_history SET open = FALSE, resolved_at = COALESCE(resolved_at, fired_at) WHERE node = $1 AND open', [uuid]);
      });
    },
  };
}
