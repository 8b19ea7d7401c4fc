import { defaultRecordsMaxCount } from '@komari-ts/protocol';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { allocateTargets, pickEvenly } from '../history/downsample.ts';
import { planFleetRead, readFleetPlan } from '../history/fleet-load.ts';
import { minRecordBytes, projectRest, projectRpc, restLoadTypes, toLoadRecord } from '../history/load-records.ts';
import { loadBuckets, type LoadWindow } from '../history/load-window.ts';
import { pingRecordsRpc } from '../ping/records-rpc.ts';
import { isAdmin, type Caller } from '../rpc/caller.ts';
import { defineMethod, type MethodDef } from '../rpc/registry.ts';
import type { HistoryRow } from '../store/types.ts';
import { formatTime } from '../util/time.ts';

const hourMs = 3_600_000;
/** The earliest instant a Date can print; an absurd `hours` is clamped here instead of failing. */
const earliest = -8.64e15;

/** Nodes this caller may see, in database order: hidden ones only for admins (public-api.md §5). */
async function visibleUuids(app: AppContext, caller: Caller): Promise<string[]> {
  return (await app.store.nodes.list()).filter((n) => isAdmin(caller) || !n.hidden).map((n) => n.uuid);
}

/** Go's strconv.Atoi: optional sign, base-10 digits, within int64; anything else is undefined. */
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > 2n ** 63n - 1n || n < -(2n ** 63n) ? undefined : Number(n);
}

/** Komari's handlers decode these params as strings and skip a mistyped one: it counts as absent. */
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

async function fetchBuckets(app: AppContext, uuid: string, w: LoadWindow, now: number): Promise<HistoryRow[]> {
  try {
    return await loadBuckets(app.history, uuid, { start: Math.max(w.start, earliest), end: w.end }, now);
  } catch (err) {
    throw AppError.failed(`Failed to fetch records: ${err instanceof Error ? err.message : String(err)}`, err);
  }
}

/** `GET /api/records/load` (public-api.md §6.11): the checks in Komari's order, with its texts. */
async function recordsByUuid(app: AppContext, caller: Caller, p: Record<string, unknown>) {
  const uuid = text(p.uuid);
  const loadType = text(p.load_type);
  if (uuid && !isAdmin(caller) && (await app.store.nodes.get(uuid))?.hidden) throw AppError.invalidParams('UUID is required');
  if (!uuid) throw AppError.invalidParams('UUID is required');
  const hours = atoi(text(p.hours) || '4');
  if (hours === undefined) throw AppError.invalidParams('Invalid hours parameter');
  if (!restLoadTypes.has(loadType)) throw AppError.invalidParams('Invalid load_type parameter');
  const now = app.clock.now();
  // Negative hours put the start after the end: Komari's store refuses that window.
  if (hours < 0) throw AppError.internal('Failed to fetch records: start time is after end time');
  const rows = await fetchBuckets(app, uuid, { start: now - hours * hourMs, end: now }, now);
  const records = rows.map(toLoadRecord);
  if (loadType !== '' && loadType !== 'all') {
    return { count: records.length, load_type: loadType, records: records.map((r) => projectRest(r, loadType)) };
  }
  // Per-device GPU history is not kept (only the gpu average is), so `gpu_devices` is empty
  // when GPU data exists; Komari itself only has the last 10 minutes of it.
  if (rows.some((r) => r.gpuCount > 0)) return { count: records.length, gpu_devices: {}, has_gpu_data: true, records };
  return { count: records.length, has_gpu_data: false, records };
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const timeParam = z
  .string()
  .refine((s) => s === '' || (rfc3339.test(s) && Number.isFinite(Date.parse(s))), 'must be an RFC 3339 time with a zone')
  .optional();

const getRecordsParams = z.object({
  type: z.string().optional(),
  uuid: z.string().optional(),
  hours: z.number().int().optional(),
  start: timeParam,
  end: timeParam,
  load_type: z.string().optional(),
  /** ping history of one task; 0, −1 or absent = every task */
  task_id: z.number().int().optional(),
  maxCount: z.number().int().optional(),
});
type GetRecordsParams = z.output<typeof getRecordsParams>;

/** start/end when either is given (start defaults to end − 1 h), else the last `hours` (≤ 0 → 1). */
function windowOf(p: GetRecordsParams, now: number): LoadWindow {
  if (p.start || p.end) {
    const end = p.end ? Date.parse(p.end) : now;
    return { start: p.start ? Date.parse(p.start) : end - hourMs, end };
  }
  const hours = p.hours && p.hours > 0 ? p.hours : 1;
  return { start: Math.max(now - hours * hourMs, earliest), end: now };
}

/** One node's buckets, reduced to maxCount points (the whole node is read: at most a few thousand rows). */
async function oneNode(app: AppContext, uuid: string, w: LoadWindow, now: number, maxCount: number): Promise<[string, HistoryRow[]][]> {
  const buckets = await fetchBuckets(app, uuid, w, now);
  return buckets.length > 0 ? [[uuid, pickEvenly(buckets, allocateTargets([buckets.length], maxCount)[0]!)]] : [];
}

/**
 * Every visible node's kept buckets, counted first and read after (history/fleet-load.ts). An
 * answer that could not fit the RPC byte cap whatever its values is refused before any row is read.
 */
async function allNodes(app: AppContext, caller: Caller, w: LoadWindow, now: number, maxCount: number): Promise<[string, HistoryRow[]][]> {
  const window = { start: Math.max(w.start, earliest), end: w.end };
  try {
    const plan = await planFleetRead(app.history, app.store.history, await visibleUuids(app, caller), window, now, maxCount);
    const max = app.limits.rpc.maxResponseBytes;
    const least = plan.nodes.reduce((n, p) => n + p.picks.length * minRecordBytes(p.uuid), 0);
    if (least > max) throw AppError.internal(`response too large: answers are limited to ${max} bytes per request`);
    return await readFleetPlan(app.store.history, plan);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw AppError.internal(`Failed to fetch records: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** common:getRecords type=load: records grouped per node, reduced to maxCount points in all. */
async function loadGroups(app: AppContext, caller: Caller, p: GetRecordsParams, w: LoadWindow, now: number) {
  const maxCount = p.maxCount || defaultRecordsMaxCount;
  // Buckets are converted to records only once picked: over a whole fleet most are not.
  const groups = p.uuid ? await oneNode(app, p.uuid, w, now, maxCount) : await allNodes(app, caller, w, now, maxCount);
  const loadType = p.load_type && p.load_type !== 'all' ? p.load_type : undefined;
  const records: Record<string, unknown[]> = {};
  let count = 0;
  for (const [uuid, list] of groups) {
    const kept = list.map(toLoadRecord);
    count += kept.length;
    records[uuid] = loadType ? kept.map((r) => projectRpc(r, loadType)) : kept;
  }
  const range = { from: formatTime(w.start), to: formatTime(w.end) };
  return loadType ? { count, records, load_type: loadType, ...range } : { count, records, ...range };
}

export const recordMethods: MethodDef[] = [
  defineMethod({
    name: 'public:getRecordsByUUID',
    summary: 'Load history of one node in buckets (REST /api/records/load)',
    params: z.object({ uuid: z.unknown().optional(), load_type: z.unknown().optional(), hours: z.unknown().optional() }),
    positional: ['uuid', 'load_type', 'hours'],
    handler: (p, { app, caller }) => recordsByUuid(app, caller, p),
  }),
  defineMethod({
    name: 'common:getRecords',
    summary: 'Load or ping history of one node or all visible nodes',
    params: getRecordsParams,
    positional: ['type', 'uuid', 'hours', 'start', 'end', 'load_type', 'task_id', 'maxCount'],
    handler: async (p, { app, caller }) => {
      const now = app.clock.now();
      const w = windowOf(p, now);
      if (p.uuid && !isAdmin(caller) && (await app.store.nodes.get(p.uuid))?.hidden) throw AppError.invalidParams('UUID not found', p.uuid);
      const type = p.type || 'load';
      if (type === 'ping') return pingRecordsRpc(app, caller, p, w, now);
      if (type !== 'load') throw AppError.invalidParams("Invalid type, expected 'load' or 'ping'", type);
      if (w.start > w.end) throw AppError.internal('Failed to fetch records', 'start time is after end time');
      return loadGroups(app, caller, p, w, now);
    },
  }),
];
