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
 * from the agent; the official agent only retries on the error, three times.
 */
export async function saveTaskResult(app: AppContext, uuid: string, p: TaskResultParams): Promise<void> {
  const saved = await app.store.execTasks.finish(p.task_id, uuid, p.result, p.exit_code, app.clock.now());
  if (!saved) throw AppError.notFound(taskResultNotFound, p.task_id);
}

/** Binds agent.taskResult params like the REST body: null members count as absent. */
export function parseTaskResult(raw: Record<string, unknown>): { ok: true; value: TaskResultParams } | { ok: false; error: string } {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null));
  const parsed = taskResultParams.safeParse(present);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: formatZodError(parsed.error) };
}

/** Deletes result rows past their retention (admin-api.md §5.2; the 30-minute job); tasks stay. */
export function purgeTaskResults(app: AppContext): Promise<number> {
  return app.store.execTasks.deleteResultsBefore(app.clock.now() - execLimits.resultRetentionMs);
}
