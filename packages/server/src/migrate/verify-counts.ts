/** What `komari migrate` prints (as text, or as JSON with `--json`). */
export interface MigrateReport {
  /** the source, described without secrets */
  source: string;
  target: string;
  ms: number;
  tables: Array<{ table: string; source: number; target: number }>;
  /** rows in the source, all tables */
  rows: number;
  /** every table of the target holds as many rows as the source's */
  verified: boolean;
  /** the tables whose counts differ */
  mismatches: string[];
}

/** Compares the rows copied from the source with the rows the target holds now, table by table. */
export function verifyCounts(
  source: ReadonlyMap<string, number>,
  target: ReadonlyMap<string, number>,
  about: Pick<MigrateReport, 'source' | 'target' | 'ms'>,
): MigrateReport {
  const names = [...new Set([...source.keys(), ...target.keys()])];
  const tables = names.map((table) => ({ table, source: source.get(table) ?? 0, target: target.get(table) ?? 0 }));
  const mismatches = tables.filter((t) => t.source !== t.target).map((t) => t.table);
  return {
    ...about,
    tables,
    rows: tables.reduce((n, t) => n + t.source, 0),
    verified: mismatches.length === 0,
    mismatches,
  };
}

/** The report as the terminal shows it: one line per table, then the verdict. */
export function formatMigrateReport(r: MigrateReport): string {
  const width = Math.max(5, ...r.tables.map((t) => t.table.length)) + 2;
  const line = (a: string, b: string | number, c: string | number) => `${a.padEnd(width)}${String(b).padStart(10)}${String(c).padStart(10)}`;
  const lines = [
    `Migrated ${r.source}`,
    `      to ${r.target} in ${r.ms} ms`,
    '',
    line('table', 'source', 'target'),
    ...r.tables.map((t) => line(t.table, t.source, t.target) + (t.source === t.target ? '' : '   <- differs')),
    line('total', r.rows, r.tables.reduce((n, t) => n + t.target, 0)),
    '',
  ];
  if (r.verified) lines.push(`verified: every table of the target holds as many rows as the source (${r.tables.length} tables, ${r.rows} rows)`);
  else lines.push(`NOT verified: the row counts differ for ${r.mismatches.join(', ')}`);
  return lines.join('\n');
}
