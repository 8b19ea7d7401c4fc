import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { formatZodError } from '../rpc/bind-params.ts';
import { execLimits } from './limits.ts';

/**
 * A result as agents send it (agent-protocol.md §6.6): `task_id`, `result` (stdout then stderr),
 * `exit_code`. `finished_at` is accepted whatever its type and ignored: the server's time is stored.
 */
export const taskResultParams = z.object({
  task_id: z.string().min(1, 'task_id is required'),
  result: z.string().default(''),
  exit_code: z.number().int().min(-2_147_483_648).max(2_147_483_647),
  finished_at: z.unknown().optional(),
});

export type TaskResultParams = z.output<typeof taskResultParams>;

export const taskResultNotFound = 'Task not found for this client';

/**
 * Fills the calling node's pre-created result row. A task/node pair without a row is refused
 * (-32044, 404 over REST): Komari answers success and writes nothing, which hides a wrong task id
 * from the agent; the official agent only retries on the error, three times. `finishedAt` is the
 * agent's own time (v2, Komari 1.5); without it the server's time is stored (v1 REST, as 1.4.3).
 */
export async function saveTaskResult(app: AppContext, uuid: string, p: TaskResultParams, finishedAt?: number): Promise<void> {
  const saved = await app.store.execTasks.finish(p.task_id, uuid, p.result, p.exit_code, finishedAt ?? app.clock.now());
  if (!saved) throw AppError.notFound(taskResultNotFound, p.task_id);
}

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Go's zero `time.Time`, which an agent sends when it has no time to give. */
const goZeroTime = Date.parse('0001-01-01T00:00:00Z');

/**
 * An agent's `finished_at` as Go's `time.Time` binds it: absent or null is no time, an RFC 3339
 * string (up to nanoseconds, cut to milliseconds) is that instant, the zero time is no time;
 * anything else is an error text.
 */
export function parseFinishedAt(value: unknown): { ok: true; at: number | undefined } | { ok: false; error: string } {
  if (value === undefined || value === null) return { ok: true, at: undefined };
  const bad = { ok: false as const, error: 'finished_at must be an RFC 3339 time string' };
  if (typeof value !== 'string') return bad;
  const m = rfc3339.exec(value);
  if (!m) return bad;
  const [, y, mo, d, h, mi, sec, frac = '', zone] = m;
  const ms = frac.padEnd(3, '0').slice(0, 3);
  const at = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}.${ms}${zone}`);
  // Date.parse rolls 2026-02-30 over to March; Go refuses it.
  const roundTrip = new Date(Date.parse(`${y}-${mo}-${d}T00:00:00Z`)).toISOString().slice(0, 10);
  if (Number.isNaN(at) || roundTrip !== `${y}-${mo}-${d}` || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return bad;
  return { ok: true, at: at === goZeroTime ? undefined : at };
}

export interface ParsedTaskResult {
  value: TaskResultParams;
  /** the agent's finish time; undefined when it sent none (or Go's zero time) */
  finishedAt: number | undefined;
}

/**
 * Binds agent.taskResult params (komari-1.5.md §1.2): null members count as absent, and
 * `finished_at` must be a time (the REST body still takes anything there and ignores it).
 */
export function parseTaskResult(raw: Record<string, unknown>): { ok: true; value: ParsedTaskResult } | { ok: false; error: string } {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null));
  const parsed = taskResultParams.safeParse(present);
  if (!parsed.success) return { ok: false, error: formatZodError(parsed.error) };
  const finished = parseFinishedAt(present.finished_at);
  if (!finished.ok) return finished;
  return { ok: true, value: { value: parsed.data, finishedAt: finished.at } };
}

/** Deletes result rows past their retention (admin-api.md §5.2; the 30-minute job); tasks stay. */
export function purgeTaskResults(app: AppContext): Promise<number> {
  return app.store.execTasks.deleteResultsBefore(app.clock.now() - execLimits.resultRetentionMs);
}
