import type { ReplicaFigures, ReplicaPhase } from './replica-phase.ts';
import { kib, mib, ms, table, type Summary } from './stats.ts';

/** The single SQLite server's figures of the same run (bench/ingest.ts), printed beside the replicas. */
export interface Baseline {
  acceptedPerS: number;
  cores: number;
  usPerReport: number;
  rssMax: number;
  latency: Summary;
  historyRowsPerS: number;
  pingRowsPerS: number;
  msPerHistoryTx: number;
  fleetCores: number;
  fleet: string;
}

const n0 = (v: number) => Math.round(v).toLocaleString('en-US');
const each = (rs: readonly ReplicaFigures[], f: (r: ReplicaFigures) => string) => rs.map(f).join(' / ');
const lat = (s: Summary) => (s.n ? `${ms(s.p50)} / ${ms(s.p99)} (n=${s.n}, max ${ms(s.max)})` : '-');
const bytes = (b: number) => (b >= 10 * 1024 * 1024 ? mib(b) : kib(b));
const rate = (bytesPerS: number) => (bytesPerS >= 1024 * 1024 ? `${(bytesPerS / 1024 / 1024).toFixed(2)} MiB/s` : `${kib(bytesPerS)}/s`);

/** Forwarded reports: bytes a replica publishes per report it ingested (NATS carries one copy to each other replica). */
export function natsBytesPerReport(r: ReplicaFigures): number {
  return (r.nats.reports?.bytesPerS ?? 0) / Math.max(1, r.ingestedPerS);
}

/** Heartbeat bytes per node held, from the replica's mean heartbeat message. */
export function heartbeatBytesPerNode(r: ReplicaFigures): number {
  const h = r.nats.heartbeat;
  return h && h.msgsPerS > 0 && r.agents > 0 ? h.bytesPerS / h.msgsPerS / r.agents : NaN;
}

function pgRows(p: ReplicaPhase): string {
  const top = Object.entries(p.pg.byTable).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return `${n0(p.pg.rowsPerS)} (${top.map(([t, v]) => `${t} ${n0(v)}`).join(', ')})`;
}

export function printReplicas(base: Baseline, p: ReplicaPhase, offered: number): void {
  const rs = p.replicas;
  const last = rs.length;
  console.log(`\ningest on PostgreSQL: ${last} replicas joined through NATS, agents ${p.counts.join(' + ')} (schema ${p.schema}, dropped after), window ${p.seconds.toFixed(0)} s; beside the SQLite single server of this run`);
  const pgUs = (p.pg.backendCores * 1e6) / p.acceptedPerS;
  const rows: (string | number)[][] = [
    ['figure', 'SQLite, 1 server', `PostgreSQL, ${last} replicas`],
    ['reports offered/s', n0(offered), n0(offered)],
    ['reports accepted/s (per replica)', n0(base.acceptedPerS), `${n0(p.acceptedPerS)} (${each(rs, (r) => n0(r.ingestedPerS))})`],
    ['reports forwarded in/s, per replica', '-', each(rs, (r) => n0(r.forwardedInPerS))],
    ['server CPU, cores (per replica)', base.cores.toFixed(2), `${p.cores.toFixed(2)} (${each(rs, (r) => r.cores.toFixed(2))})`],
    ['CPU per report, server processes', `${base.usPerReport.toFixed(0)} µs`, `${p.usPerReport.toFixed(0)} µs`],
    ['PostgreSQL CPU (its backends), cores', '-', `${p.pg.backendCores.toFixed(2)} (${p.pg.backends} backends), ${pgUs.toFixed(0)} µs per report`],
    ['CPU per report, servers + database', `${base.usPerReport.toFixed(0)} µs`, `${(p.usPerReport + pgUs).toFixed(0)} µs`],
    ['PostgreSQL background writers, cores (instance-wide)', '-', p.pg.backgroundCores.toFixed(2)],
    ['server RSS, max in window (per replica)', mib(base.rssMax), each(rs, (r) => mib(r.rssMax))],
    ['history rows to the store/s, ms/tx', `${n0(base.historyRowsPerS)}, ${base.msPerHistoryTx.toFixed(1)}`, `${n0(rs.reduce((x, r) => x + r.historyRowsPerS, 0))}, ${each(rs, (r) => r.msPerHistoryTx.toFixed(1))}`],
    ['ping rows to the store/s', n0(base.pingRowsPerS), n0(rs.reduce((x, r) => x + r.pingRowsPerS, 0))],
    ['PostgreSQL rows written/s (ins + upd)', '-', pgRows(p)],
    ['PostgreSQL WAL (instance-wide)', '-', `${rate(p.pg.walBytesPerS)} (${p.pg.othersActive} other sessions active mid-window)`],
    ['send → dashboard p50 / p99, same server', lat(base.latency), `replica ${last}'s own agents: ${lat(p.latency.local)}`],
    [`report on another replica → replica ${last}'s dashboard`, '-', lat(p.latency.cross)],
    ['NATS out per replica: forwarded reports', '-', each(rs, (r) => `${rate(r.nats.reports?.bytesPerS ?? 0)} (${n0(natsBytesPerReport(r))} B/report)`)],
    ['NATS out per replica: heartbeats', '-', each(rs, (r) => `${rate(r.nats.heartbeat?.bytesPerS ?? 0)} (${heartbeatBytesPerNode(r).toFixed(1)} B/node)`)],
    ['fleet CPU, cores', base.fleetCores.toFixed(2), p.fleetCores.toFixed(2)],
    ['fleet sent / failed / skipped / dropped', base.fleet, p.fleets.map((f) => `${f.sent} / ${f.failed} / ${f.skipped} / ${f.dropped}`).join(' + ')],
  ];
  table(rows);
  console.log(`\n  after the nodes were created the replicas re-read their caches for ${(p.settleMs / 1000).toFixed(1)} s more; agents connected after that`);
  console.log('\n  PostgreSQL tables after the run (replicas stopped, last flush in):');
  for (const [t, s] of Object.entries(p.sizes)) {
    if (s.rows === 0) continue;
    console.log(`    ${t}: ${n0(s.rows)} rows, ${bytes(s.bytes)} as written (${n0(s.bytes / s.rows)} B/row), ${bytes(s.compactBytes)} after VACUUM FULL (${n0(s.compactBytes / s.rows)} B/row)`);
  }
  for (const f of p.fleets) {
    const errors = f.errors as Record<string, number> | undefined;
    if (errors && Object.keys(errors).length) console.log('  fleet errors:', errors);
  }
}
