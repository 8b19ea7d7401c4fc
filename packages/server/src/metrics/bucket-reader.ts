import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { isAdmin, type Caller } from '../rpc/caller.ts';
import type { HistoryRow, PingBucketRow } from '../store/types.ts';
import { addressGroup } from '../util/address-group.ts';

/**
 * The stored buckets of one metric call, read through a bound on the work: at most
 * `limits.metrics.maxBucketsPerCall` per call, and for a guest at most what its address's share
 * (`limits.metrics.guestBuckets`, per address group) still allows. Each node's rows are read once
 * for every metric that needs them: metrics of one node come from the same rows.
 */
export class BucketReader {
  readonly #app: AppContext;
  readonly #guest: string | undefined;
  #left: number;
  #rows = new Map<string, Promise<unknown[]>>();

  constructor(app: AppContext, caller: Caller) {
    this.#app = app;
    this.#guest = isAdmin(caller) ? undefined : addressGroup(caller.meta.ip);
    this.#left = app.limits.metrics.maxBucketsPerCall;
  }

  load(node: string, width: number, from: number, to: number): Promise<HistoryRow[]> {
    return this.#read(`load ${node} ${width} ${from} ${to}`, () => this.#app.history.buckets(node, width, from, to));
  }

  ping(node: string, width: number, from: number, to: number): Promise<PingBucketRow[]> {
    return this.#read(`ping ${node} ${width} ${from} ${to}`, () => this.#app.ping.history.buckets({ node }, width, from, to));
  }

  /** Refuses now, before any read, when `planned` buckets are already more than a call may read. */
  refuseAbove(planned: number): void {
    if (planned > this.#left) throw this.#tooMany();
  }

  /** Rows read so far are kept until this: call it once a node is done. */
  forget(): void {
    this.#rows.clear();
  }

  #read<T>(key: string, read: () => Promise<T[]>): Promise<T[]> {
    let rows = this.#rows.get(key) as Promise<T[]> | undefined;
    if (!rows) {
      rows = read().then((r) => {
        this.#spend(r.length);
        return r;
      });
      this.#rows.set(key, rows);
    }
    return rows;
  }

  #tooMany(): AppError {
    const max = this.#app.limits.metrics.maxBucketsPerCall;
    return AppError.invalidParams(`the query reads more than ${max} stored buckets: ask for a shorter window, fewer nodes or fewer metrics`);
  }

  #spend(n: number): void {
    this.#left -= n;
    if (this.#left < 0) throw this.#tooMany();
    if (this.#guest !== undefined && !this.#app.metricReads.spend(this.#guest, this.#app.clock.now(), n)) {
      throw AppError.tooManyAttempts('too many metric queries from this address: try again in a minute', 60);
    }
  }
}
