import type { AppContext } from '../app-context.ts';
import { komariApiVersion } from '../methods/site.ts';
import { labelText, type ExpositionWriter, type Family } from './exposition.ts';

const f = (name: string, type: Family['type'], help: string): Family => ({ name, type, help });

const families = {
  build: f('komari_build_info', 'gauge', 'Always 1; the labels say which komari-ts runs and the Komari API it serves.'),
  ingested: f('komari_reports_ingested_total', 'counter', 'Agent reports accepted by this server (this replica, in a cluster) since it started.'),
  sockets: f('komari_sockets', 'gauge', 'Open WebSockets by kind: agent_v1, agent_v2, viewer (browsers on /api/clients and /api/rpc2), terminal (web terminals with their browser attached).'),
  lagMean: f('komari_event_loop_lag_mean_seconds', 'gauge', 'Mean event-loop delay over the last complete window (limits.prometheus.eventLoopWindowMs).'),
  lagP50: f('komari_event_loop_lag_p50_seconds', 'gauge', 'Median event-loop delay over the last complete window.'),
  lagP99: f('komari_event_loop_lag_p99_seconds', 'gauge', '99th percentile event-loop delay over the last complete window.'),
  lagMax: f('komari_event_loop_lag_max_seconds', 'gauge', 'Longest event-loop delay over the last complete window.'),
  flush: f('komari_history_flush_duration_seconds', 'gauge', 'How long the last successful history flush took.'),
  flushAt: f('komari_history_last_flush_timestamp_seconds', 'gauge', 'When the last successful history flush ended (Unix seconds).'),
  unwritten: f('komari_history_unwritten_buckets', 'gauge', 'History buckets waiting to be written.'),
  dropped: f('komari_history_dropped_buckets_total', 'counter', 'History buckets the full write buffer dropped since start.'),
  rss: f('komari_process_resident_memory_bytes', 'gauge', 'Resident memory of the server process.'),
  heap: f('komari_process_heap_used_bytes', 'gauge', 'V8 heap in use.'),
  database: f('komari_database_size_bytes', 'gauge', 'Size of the database (SQLite: the file and its WAL; PostgreSQL: the schema\'s tables), measured at most every minute.'),
  nodes: f('komari_nodes', 'gauge', 'Nodes configured.'),
};

export const serverFamilyNames = Object.values(families).map((x) => x.name);

/** The server's own figures, from memory (the database size from a measurement at most a minute old). */
export async function writeServerGauges(app: AppContext, out: ExpositionWriter, nodeCount: number): Promise<void> {
  const dbSize = await app.meters.databaseSize();
  out.family(families.build).sample(labelText({ version: app.config.version, revision: app.config.hash, komari_api_version: komariApiVersion }), 1);
  out.single(families.ingested, app.meters.reportsIngested);
  const agents = app.live.socketCounts();
  out.family(families.sockets);
  out.sample(labelText({ kind: 'agent_v1' }), agents.v1);
  out.sample(labelText({ kind: 'agent_v2' }), agents.v2);
  out.sample(labelText({ kind: 'viewer' }), app.viewers.open);
  // a suspended terminal waits for its browser to come back: it holds no browser socket
  out.sample(labelText({ kind: 'terminal' }), app.terminal.size - app.terminal.suspendedCount);
  const lag = app.meters.eventLoopLag();
  out.single(families.lagMean, lag.mean).single(families.lagP50, lag.p50).single(families.lagP99, lag.p99).single(families.lagMax, lag.max);
  const flush = app.history.lastFlush;
  if (flush) out.single(families.flush, flush.durationMs / 1000).single(families.flushAt, flush.at / 1000);
  out.single(families.unwritten, app.history.unwritten).single(families.dropped, app.history.droppedTotal);
  const mem = process.memoryUsage();
  out.single(families.rss, mem.rss).single(families.heap, mem.heapUsed);
  if (dbSize !== undefined) out.single(families.database, dbSize);
  out.single(families.nodes, nodeCount);
}
