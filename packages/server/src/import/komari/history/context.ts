import type { HistoryRow, PingBucketRow } from '../../../store/types.ts';
import type { ImportReportBuilder } from '../report.ts';
import type { NodeTotals } from './load-bucket.ts';
import type { TargetTier } from './tier-builder.ts';

/**
 * Rows waiting to be written; the owner writes them (one transaction) once `full`, so what the
 * import holds stays one batch whatever the size of the history.
 */
export class BatchSink<T> {
  #rows: T[] = [];
  /** rows the store did not have before */
  inserted = 0;
  /** rows written, new or not */
  written = 0;
  readonly #write: (rows: readonly T[]) => Promise<number>;
  readonly #max: number;

  constructor(write: (rows: readonly T[]) => Promise<number>, max: number) {
    this.#write = write;
    this.#max = Math.max(1, max);
  }

  readonly add = (row: T): void => {
    this.#rows.push(row);
  };

  async flushIfFull(): Promise<void> {
    if (this.#rows.length >= this.#max) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    this.inserted += await this.#write(rows);
    this.written += rows.length;
  }
}

/** What both readers (metric store, legacy tables) share. */
export interface HistoryImport {
  tiers: readonly TargetTier[];
  now: number;
  report: ImportReportBuilder;
  clientUuids: ReadonlySet<string>;
  pingTaskIds: ReadonlyMap<number, number>;
  loads: BatchSink<HistoryRow>;
  pings: BatchSink<PingBucketRow>;
  /**
   * series that gave rows, counted at the end: as imported when the run wrote new points, as
   * already there when it wrote none (an import run twice)
   */
  series: { load: number; ping: number };
  totals(uuid: string): NodeTotals;
}

/** Komari did not exist before this; a time earlier is a damaged row (year 1970 is 0). */
export const earliestTime = Date.UTC(2000, 0, 1);

/** Why a bucket start cannot be imported, or undefined. */
export function timeProblem(at: number | undefined, now: number): string | undefined {
  if (at === undefined) return 'time not a number';
  if (at < earliestTime) return 'time before 2000';
  if (at > now) return 'time in the future';
  return undefined;
}
