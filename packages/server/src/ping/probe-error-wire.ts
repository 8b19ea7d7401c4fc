import { formatTime } from '../util/time.ts';
import type { ProbeErrorEntry } from './probe-errors.ts';

/**
 * How a kept probe error is shown. An admin gets the agent's detail and the times; anyone else
 * only the stable code: a detail may name the task's target or the agent host's setup, which
 * `/api/records/ping` never shows a guest (it leaves out `target` for the same reason).
 */
export function probeErrorWire(e: ProbeErrorEntry, admin: boolean) {
  if (!admin) return { code: e.code };
  return { code: e.code, ...(e.message ? { message: e.message } : {}), since: formatTime(e.since), at: formatTime(e.at) };
}

/** One task's reasons in the admin's task list: one per node, oldest streak first. */
export function adminProbeErrors(list: ReadonlyArray<{ node: string; entry: ProbeErrorEntry }>) {
  return [...list].sort((a, b) => a.entry.since - b.entry.since).map(({ node, entry }) => ({ client: node, ...probeErrorWire(entry, true) }));
}
