import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sampleProc } from './proc.ts';

/** Per table, rows inserted + updated (what the server wrote), from pg_stat_user_tables. */
export type TableWrites = Map<string, number>;

export interface RelationSize {
  rows: number;
  /** pg_total_relation_size: heap, indexes and TOAST */
  bytes: number;
}

/** PostgreSQL processes that are not a client backend but do the instance's writing. */
const backgroundTypes = ['checkpointer', 'background writer', 'walwriter', 'autovacuum launcher', 'autovacuum worker'];

/**
 * The benchmark's side door into PostgreSQL: a fresh schema for one run (dropped after), the
 * write counters of its tables, the instance's WAL position, the pids of the server's backends
 * (tagged through PGAPPNAME) and of the background writers, and table sizes after the run.
 */
export class PgProbe {
  readonly schema: string;
  /** every replica's PGAPPNAME starts with this, so its backends can be told from anyone else's */
  readonly appPrefix: string;
  /** a small pool: the CPU watches ask every second while the window's snapshots query too */
  readonly #client: pg.Pool;

  private constructor(client: pg.Pool, schema: string) {
    this.#client = client;
    this.schema = schema;
    this.appPrefix = `komari-bench-${schema}-r`;
  }

  /** Connects; the schema is only named here (the first replica creates it). */
  static async open(url: string): Promise<PgProbe> {
    const client = new pg.Pool({ connectionString: url, application_name: 'komari-bench-probe', max: 3 });
    await client.query('SELECT 1'); // a wrong URL fails here, before any server starts
    return new PgProbe(client, `bench_${randomBytes(6).toString('hex')}`);
  }

  async tableWrites(): Promise<TableWrites> {
    // pgstat caches a snapshot per transaction; each query here is its own, so figures are current
    const { rows } = await this.#client.query<{ relname: string; n: string }>(
      'SELECT relname, (n_tup_ins + n_tup_upd)::text AS n FROM pg_stat_user_tables WHERE schemaname = $1',
      [this.schema],
    );
    return new Map(rows.map((r) => [r.relname, Number(r.n)]));
  }

  async walLsn(): Promise<string> {
    return (await this.#client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
  }

  async walBytesBetween(a: string, b: string): Promise<number> {
    return Number((await this.#client.query<{ d: string }>('SELECT pg_wal_lsn_diff($2, $1)::text AS d', [a, b])).rows[0]!.d);
  }

  /** The server's backends (client connections whose application_name is a replica's). */
  async backendPids(): Promise<number[]> {
    const { rows } = await this.#client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE starts_with(application_name, $1) AND backend_type = 'client backend'",
      [this.appPrefix],
    );
    return rows.map((r) => r.pid);
  }

  async backgroundPids(): Promise<number[]> {
    const { rows } = await this.#client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE backend_type = ANY($1)', [backgroundTypes]);
    return rows.map((r) => r.pid);
  }

  /** Other sessions busy on the instance now: their work shares the background writers and the WAL. */
  async othersActive(): Promise<number> {
    const { rows } = await this.#client.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM pg_stat_activity WHERE backend_type = 'client backend' AND state = 'active' AND application_name <> 'komari-bench-probe' AND NOT starts_with(coalesce(application_name, ''), $1)",
      [this.appPrefix],
    );
    return Number(rows[0]!.n);
  }

  async size(table: string): Promise<RelationSize> {
    const name = `"${this.schema}".${table}`;
    const { rows } = await this.#client.query<{ rows: string; bytes: string }>(
      `SELECT (SELECT count(*) FROM ${name})::text AS rows, pg_total_relation_size('${name}')::text AS bytes`,
    );
    return { rows: Number(rows[0]!.rows), bytes: Number(rows[0]!.bytes) };
  }

  /** Rewrites the table without its dead row versions: the size its live rows need. */
  async compact(table: string): Promise<void> {
    await this.#client.query(`VACUUM FULL "${this.schema}".${table}`);
  }

  async dropSchema(): Promise<void> {
    await this.#client.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
  }

  async close(): Promise<void> {
    await this.#client.end().catch(() => undefined);
  }
}

/**
 * CPU of a changing set of processes over a window: `list()` names them (asked every second);
 * a process present at the start counts from its CPU then, one appearing later from zero, one
 * gone before the end with the last CPU read (up to a second of its work is missed).
 */
export class PidCpuWatch {
  readonly #list: () => Promise<number[]>;
  readonly #first = new Map<number, number>();
  readonly #last = new Map<number, number>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> = Promise.resolve();
  #startedAt = 0;

  constructor(list: () => Promise<number[]>) {
    this.#list = list;
  }

  async start(): Promise<void> {
    this.#startedAt = performance.now();
    for (const pid of await this.#list()) {
      const cpu = cpuOf(pid);
      if (cpu !== undefined) this.#first.set(pid, cpu);
    }
    this.#timer = setInterval(() => void (this.#ticking = this.#tick()), 1000);
  }

  async #tick(): Promise<void> {
    for (const pid of await this.#list().catch(() => [])) {
      const cpu = cpuOf(pid);
      if (cpu !== undefined) this.#last.set(pid, cpu);
    }
  }

  /** Cores used over the window, and how many processes took part. */
  async stop(): Promise<{ cores: number; processes: number }> {
    clearInterval(this.#timer);
    await this.#ticking;
    await this.#tick();
    const seconds = (performance.now() - this.#startedAt) / 1000;
    let used = 0;
    for (const [pid, last] of this.#last) used += last - (this.#first.get(pid) ?? 0);
    return { cores: used / seconds, processes: this.#last.size };
  }
}

function cpuOf(pid: number): number | undefined {
  try {
    return sampleProc(pid).cpuSeconds;
  } catch {
    return undefined; // gone between the list and the read
  }
}
