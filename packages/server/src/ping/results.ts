import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { probeErrorField, probeErrorOf } from './probe-error-input.ts';

/**
 * A ping result as every transport carries it (agent-protocol.md §12): `task_id` an unsigned and
 * `value` a signed integer (ms, negative = lost), `ping_type` a string if present. `finished_at`
 * is accepted in any form and ignored: the server stamps its own receive time. `probe_error` is
 * komari-ts's optional reason a probe could not run (probe-error-input.ts).
 */
export const pingResultSchema = z.object({
  task_id: z.number().int().min(0),
  value: z.number().int(),
  ping_type: z.string().nullish(),
  probe_error: probeErrorField,
});
export type PingResult = z.output<typeof pingResultSchema>;

/**
 * Stores one result of `uuid`. A task id that matches no task is accepted and dropped (see
 * PingService.record). Never waits for the database (a full buffer drops its oldest bucket).
 */
export function savePingResult(app: AppContext, uuid: string, r: PingResult): void {
  app.ping.record(r.task_id, uuid, r.value, probeErrorOf(r.probe_error, app.limits.probeErrors.maxMessageLength));
}
