import type { ImportReport, ImportSkip } from '@komari-ts/protocol/import-report';

/** Details kept of skipped rows; a database with a million bad points still answers in a page. */
export const maxSkipDetails = 200;

/** Counts what an import brings over and keeps the first reasons it skipped rows. */
export class ImportReportBuilder {
  private readonly imported: Record<string, number> = {};
  private readonly skipped: ImportSkip[] = [];
  private skippedTotal = 0;
  private readonly startedAt: number;
  private readonly source: ImportReport['source'];
  private readonly mode: ImportReport['mode'];
  private readonly now: () => number;

  constructor(source: ImportReport['source'], mode: ImportReport['mode'], now: () => number = Date.now) {
    this.source = source;
    this.mode = mode;
    this.now = now;
    this.startedAt = now();
  }

  count(kind: string, n = 1): void {
    if (n > 0) this.imported[kind] = (this.imported[kind] ?? 0) + n;
  }

  skip(kind: string, reason: string, id?: string | number): void {
    this.skippedTotal++;
    if (this.skipped.length < maxSkipDetails) this.skipped.push(id === undefined ? { kind, reason } : { kind, id: String(id), reason });
  }

  finish(): ImportReport {
    return {
      source: this.source,
      mode: this.mode,
      imported: { ...this.imported },
      skipped: [...this.skipped],
      skippedTotal: this.skippedTotal,
      durationMs: Math.max(0, this.now() - this.startedAt),
    };
  }
}
