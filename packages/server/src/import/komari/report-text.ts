import type { ImportReport } from '@komari-ts/protocol/import-report';

/** The report as the CLI prints it: one line per kind (imported, already there), then the skips. */
export function formatImportReport(r: ImportReport): string {
  const kinds = [...new Set([...Object.keys(r.imported), ...Object.keys(r.alreadyPresent ?? {})])];
  const rows = [['kind', 'imported', 'already there'], ...kinds.map((k) => [k, String(r.imported[k] ?? 0), String(r.alreadyPresent?.[k] ?? 0)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [`Imported from Komari ${r.source.schema} (${r.mode}) in ${r.durationMs} ms`, ''];
  if (kinds.length === 0) out.push('Nothing to import.');
  else out.push(line(rows[0]!), ...rows.slice(1).map(line));
  if (r.skippedTotal > 0) {
    out.push('', `Skipped (${r.skippedTotal}):`);
    for (const s of r.skipped) out.push(`  ${s.kind}${s.id === undefined ? '' : ` ${s.id}`}: ${s.reason}`);
    if (r.skippedTotal > r.skipped.length) out.push(`  … and ${r.skippedTotal - r.skipped.length} more`);
  }
  return out.join('\n');
}
