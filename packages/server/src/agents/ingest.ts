import { reportSchema, verifyReport, type Report } from '@komari-ts/protocol';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { formatZodError } from '../rpc/bind-params.ts';
import { stamp, type StampedReport } from '../realtime/stamped-report.ts';
import { boundReport } from './report-bounds.ts';

/** A report whose shape is wrong (wrong types, not an object); each transport words it its own way. */
export class ReportShapeError extends Error {}

/**
 * How deep nulls are looked for. The report's deepest field (gpu.detailed_info[i].name) sits at
 * depth 4; deeper values are never read, so walking them only lets an agent overflow the stack.
 */
const nullDepth = 8;

/** JSON null leaves a Go field at its zero value: drop null members down to `nullDepth`. */
function withoutNulls(value: unknown, depth = 0): unknown {
  if (depth > nullDepth || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withoutNulls(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v, depth + 1);
  return out;
}

/** Whether a null sits inside (down to `nullDepth`): most reports have none, and then nothing is copied. */
function containsNull(value: unknown, depth = 0): boolean {
  if (value === null) return true;
  if (depth > nullDepth || typeof value !== 'object') return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (containsNull(v, depth + 1)) return true;
  return false;
}

/** Parses a report of any transport; throws ReportShapeError with the reason. */
export function parseReport(raw: unknown): Report {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ReportShapeError('report must be a JSON object');
  const parsed = reportSchema.safeParse(containsNull(raw) ? withoutNulls(raw) : raw);
  if (!parsed.success) throw new ReportShapeError(formatZodError(parsed.error));
  return parsed.data;
}

export interface IngestOptions {
  /** POST-style reports (v1 POST, every v2 agent.report) keep the node online for the presence TTL */
  presence: boolean;
  /** the protocol the report came over (v1 frame or POST, v2 JSON-RPC) */
  protocol?: 1 | 2;
}

/**
 * The one path of every accepted report, whatever the transport (design.md §How data flows):
 * validate, cut oversize texts and lists, stamp with server time (strictly increasing per node),
 * fold into history, update the live view. Throws AppError with Komari's validation text; then
 * nothing is stored.
 */
export function ingestReport(app: AppContext, uuid: string, received: Report, opts: IngestOptions): StampedReport {
  const invalid = verifyReport(received);
  if (invalid) throw AppError.invalidParams(invalid);
  // A request that passed the gate just before its node was deleted must not bring it back.
  if (app.live.isDeleted(uuid)) throw AppError.notFound('client deleted', uuid);
  const report = boundReport(received, app.limits.report);
  const prevAt = app.live.latestAt(uuid);
  const now = app.clock.now();
  const at = prevAt !== undefined && prevAt >= now ? prevAt + 1 : now;
  app.history.record(uuid, report, at);
  const stamped = stamp(uuid, report, at);
  app.live.record(stamped);
  if (opts.protocol) app.live.markProtocol(uuid, opts.protocol);
  if (opts.presence) app.live.touchPresence(uuid);
  app.bus.publish('report.ingested', stamped);
  return stamped;
}
