import { loadRuleRangeProblem } from '../../alerts/methods/load.ts';
import type { LoadRuleFields } from '../../alerts/store/types.ts';
import { knownClients, type ImportContext } from './context.ts';
import { rowsOf } from './source-db.ts';
import { komariTime } from './time.ts';
import { bool, float32, int, sameJson, stringList, textOrEmpty, type Row } from './values.ts';

/**
 * Offline rules (one per node), load rules and traffic-report rules (notifications.md §4, §5, §8),
 * checked with the rules the admin methods apply. komari-ts's own columns (channels, quiet hours,
 * reminders) take the values that behave as Komari did: every channel, no quiet hours, one
 * breach fires.
 */
export async function importAlertRules(ctx: ImportContext): Promise<void> {
  await importOfflineRules(ctx);
  await importLoadRules(ctx);
  await importTrafficReports(ctx);
}

async function importOfflineRules(ctx: ImportContext): Promise<void> {
  const kind = 'offlineRules';
  const existing = new Map((await ctx.store.alerts.offlineRules()).map((r) => [r.client, r]));
  for (const r of rowsOf(ctx.db, 'offline_notifications')) {
    const client = textOrEmpty(r.client) ?? '';
    if (!ctx.knownNodes.has(client)) {
      ctx.report.skip(kind, 'it points to no node on this server', client || undefined);
      continue;
    }
    const enable = bool(r.enable);
    const gracePeriod = r.grace_period === null || r.grace_period === undefined ? 180 : int(r.grace_period);
    if (enable === undefined || gracePeriod === undefined || gracePeriod <= 0) {
      ctx.report.skip(kind, 'enable is not a boolean or grace_period not a positive integer', client);
      continue;
    }
    const old = existing.get(client);
    if (old && old.enable === enable && old.gracePeriod === gracePeriod) {
      ctx.report.present(kind);
      continue;
    }
    if (old && ctx.mode === 'merge') {
      ctx.report.skip(kind, "kept this server's rule for the node", client);
      continue;
    }
    await ctx.store.alerts.upsertOfflineRules([{ client, enable, gracePeriod, lastNotified: komariTime(r.last_notified) ?? null }]);
    ctx.report.count(kind);
  }
}

async function importLoadRules(ctx: ImportContext): Promise<void> {
  const kind = 'loadRules';
  const existing = await ctx.store.alerts.loadRules();
  for (const r of rowsOf(ctx.db, 'load_notifications')) {
    const id = int(r.id) ?? textOrEmpty(r.name) ?? '';
    const rule = loadRuleOf(ctx, r, id);
    if (!rule) continue;
    if (existing.some((e) => sameLoadRule(e, rule))) {
      ctx.report.present(kind);
      continue;
    }
    if (existing.length >= ctx.limits.alerts.maxRules) {
      ctx.report.skip(kind, `this server holds the most load rules it may (${ctx.limits.alerts.maxRules})`, id);
      continue;
    }
    await ctx.store.alerts.addLoadRule(rule);
    existing.push({ ...rule, id: 0, lastNotified: null });
    ctx.report.count(kind);
  }
}

/** The checks of `admin:addLoadNotification`, with its messages, reported instead of thrown. */
function loadRuleOf(ctx: ImportContext, r: Row, id: number | string): LoadRuleFields | undefined {
  const kind = 'loadRules';
  const listed = stringList(r.clients);
  const name = textOrEmpty(r.name);
  const metric = textOrEmpty(r.metric);
  const threshold = float32(r.threshold);
  const ratio = float32(r.ratio);
  const interval = int(r.interval);
  const fail = (reason: string) => void ctx.report.skip(kind, reason, id);
  if (!listed) return fail('its clients column is not a JSON list of uuids');
  if (name === undefined || name.length > 255) return fail('its name is not text of at most 255 characters');
  const clients = knownClients(ctx, kind, id, listed);
  if (clients.length === 0) return fail('it points to no node on this server');
  if (!metric || metric.length > 32 || !threshold || !ratio || !interval) return fail('clients, metric, threshold, ratio and interval are required');
  const problem = loadRuleRangeProblem({ interval, ratio });
  if (problem) return fail(problem);
  return { name, clients, metric, threshold, ratio, interval, consecutive: 1, reminderMinutes: 0, notifyResolved: true, channels: null, quiet: null };
}

function sameLoadRule(a: LoadRuleFields, b: LoadRuleFields): boolean {
  return (
    a.name === b.name && a.metric === b.metric && a.threshold === b.threshold && a.ratio === b.ratio &&
    a.interval === b.interval && [...a.clients].sort().join() === [...b.clients].sort().join()
  );
}

async function importTrafficReports(ctx: ImportContext): Promise<void> {
  const kind = 'trafficReports';
  const existing = new Map((await ctx.store.alerts.trafficReportRules()).map((r) => [r.client, r]));
  for (const r of rowsOf(ctx.db, 'traffic_report_notifications')) {
    const client = textOrEmpty(r.client) ?? '';
    if (!ctx.knownNodes.has(client)) {
      ctx.report.skip(kind, 'it points to no node on this server', client || undefined);
      continue;
    }
    const [enable, daily, weekly, monthly] = [r.enable, r.daily, r.weekly, r.monthly].map(bool);
    if (enable === undefined || daily === undefined || weekly === undefined || monthly === undefined) {
      ctx.report.skip(kind, 'enable, daily, weekly and monthly must be booleans', client);
      continue;
    }
    const rule = { client, enable: enable && (daily || weekly || monthly), daily, weekly, monthly };
    const old = existing.get(client);
    if (old && sameJson(old, rule)) {
      ctx.report.present(kind);
      continue;
    }
    if (old && ctx.mode === 'merge') {
      ctx.report.skip(kind, "kept this server's rule for the node", client);
      continue;
    }
    await ctx.store.alerts.upsertTrafficReportRules([rule]);
    ctx.report.count(kind);
  }
}
