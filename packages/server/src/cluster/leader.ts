import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Leadership through a PostgreSQL session advisory lock: whoever holds it is the leader. The lock
 * lives as long as its connection, so a leader killed with `kill -9` loses it when PostgreSQL sees
 * the connection drop, and another replica's next try takes it over.
 */
export class LeaderLock {
  readonly #url: string;
  readonly #key: string;
  #client: pg.Client | undefined;
  #held = false;
  #trying: Promise<boolean> | undefined;

  /** `scope` names the cluster (database and schema): clusters in one database never share a lock */
  constructor(url: string, scope: string) {
    this.#url = url;
    // a signed 64-bit key from the scope, as pg_try_advisory_lock(bigint) takes
    this.#key = createHash('sha256').update(`komari-ts leader ${scope}`).digest().readBigInt64BE(0).toString();
  }

  get held(): boolean {
    return this.#held;
  }

  /** Takes the lock when free, or checks that the held one's connection is alive; returns whether held. */
  try(): Promise<boolean> {
    this.#trying ??= this.#try().finally(() => (this.#trying = undefined));
    return this.#trying;
  }

  async #try(): Promise<boolean> {
    try {
      if (!this.#client) {
        const client = new pg.Client({ connectionString: this.#url, connectionTimeoutMillis: 5000 });
        client.on('error', () => this.#drop());
        await client.connect();
        this.#client = client;
      }
      if (this.#held) await this.#client.query('SELECT 1');
      else this.#held = (await this.#client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.#key])).rows[0]!.ok;
    } catch {
      this.#drop();
    }
    return this.#held;
  }

  #drop(): void {
    this.#held = false;
    const c = this.#client;
    this.#client = undefined;
    void c?.end().catch(() => undefined);
  }

  async release(): Promise<void> {
    await this.#trying?.catch(() => undefined);
    const c = this.#client;
    this.#client = undefined;
    this.#held = false;
    // ending the session frees the lock at once: the next replica need not wait for a timeout
    await c?.end().catch(() => undefined);
  }
}
