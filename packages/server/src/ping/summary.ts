import type { AppContext } from '../app-context.ts';
import { pingLimits } from './limits.ts';
import { exactStats, groupBy, latestValue, tailStats } from './stats.ts';
import { pingBuckets } from './window.ts';

/**
 * The `ping` member of common:getNodesLatestStatus (rpc2.md §10.1): keyed by task id, for the
 * tasks that list the node and have at least one record in the last hour. Loss, min, max and avg
 * are exact; `latest` and `tail` come from the bucket values, as in Komari. Cached per node.
 */
export async function pingSummary(app: AppContext, uuid: string): Promise<Record<string, unknown>> {
  const now = app.clock.now();
  const cached = app.ping.summaryCache.get(uuid);
  if (cached && cached.until > now) return cached.value;
  const rows = await pingBuckets(app.ping.history, { node: uuid }, { start: now - pingLimits.summaryWindowMs, end: now }, now);
  const byTask = groupBy(rows, (r) => r.task);
  const value: Record<string, unknown> = {};
  for (const t of app.ping.tasks()) {
    const mine = byTask.get(t.id);
    if (!mine || !t.clients.includes(uuid)) continue;
    const s = exactStats(mine);
    value[String(t.id)] = { name: t.name, latest: latestValue(mine), avg: s.avg, tail: tailStats(mine).tail, loss: s.loss, min: s.min, max: s.max };
  }
  app.ping.summaryCache.set(uuid, { until: now + pingLimits.summaryCacheMs, value });
  return value;
}
