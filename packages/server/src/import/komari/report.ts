import type { ImportKind, ImportReport, ImportSkip } from '@komari-ts/protocol/import-report';

/** Details kept of skipped rows; a database with a million bad points still answers in a page. */
export const maxSkipDetails = 200;
/** Characters of a skipped row's id kept in the report. */
export const maxIdChars = 100;

/** Counts what an import brings over and keeps the first reasons it skipped rows. */
export class ImportReportBuilder {
  private readonly imported: Record<string, number> = {};
  private readonly alreadyPresent: Record<string, number> = {};
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

  count(kind: ImportKind, n = 1): void {
    if (n > 0) this.imported[kind] = (this.imported[kind] ?? 0) + n;
  }

  /** A row the target already holds as the source has it (an import run twice changes nothing). */
  present(kind: ImportKind, n = 1): void {
    if (n > 0) this.alreadyPresent[kind] = (this.alreadyPresent[kind] ?? 0) + n;
  }

  skip(kind: ImportKind, reason: string, id?: string | number): void {
    this.skippedTotal++;
    if (this.skipped.length >= maxSkipDetails) return;
    // an id from a damaged database may be any length; the report shows its start
    const shown = id === undefined ? undefined : String(id).length > maxIdChars ? `${String(id).slice(0, maxIdChars)}…` : String(id);
    this.skipped.push(shown === undefined ? { kind, reason } : { kind, id: shown, reason });
  }

  finish(): ImportReport {
    return {
      source: this.source,
      mode: this.mode,
      imported: { ...this.imported },
      alreadyPresent: { ...this.alreadyPresent },
      skipped: [...this.skipped],
      skippedTotal: this.skippedTotal,
      durationMs: Math.max(0, this.now() - this.startedAt),
    };
  }
}
