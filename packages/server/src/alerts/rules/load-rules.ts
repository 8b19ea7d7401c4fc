import type { HistoryRow } from '../../store/types.ts';
import type { AlertService } from '../alert-service.ts';
import type { LoadRule } from '../store/types.ts';
import { Incidents, type Finding } from './incidents.ts';
import { metricReader, metricUnit, type MetricReader } from './load-metric.ts';

const round = (v: number): string => (Math.round(v * 10) / 10).toString();

/**
 * Komari's load rules (notifications.md §5): every `interval` minutes, a node breaches when at
 * least ⌊n × ratio⌋ (minimum 1) of the window's n buckets peak at or above the threshold. The
 * window is read from the finest history tier, the open bucket in memory included, never from
 * raw reports. Beyond Komari: a node fires once (after `consecutive` breaching evaluations),
 * reminds only if asked, and resolves when it stops breaching; `last_notified` is when it last
 * fired (Komari rewrites it on every evaluation, which makes its cooldown inert).
 */
export class LoadRules {
  readonly #alerts: AlertService;
  readonly incidents: Incidents;
  #rules: LoadRule[] = [];
  /** when each rule was last evaluated; counting starts at process start, as in Komari */
  readonly #lastRun = new Map<number, number>();

  constructor(alerts: AlertService) {
    this.#alerts = alerts;
    this.incidents = new Incidents(alerts, {
      kind: 'load',
      firing: (r, nodes) => `${r.name}: ${describe(r as LoadRule)} on ${nodes}`,
      resolved: (r, nodes) => `${r.name}: back to normal on ${nodes}`,
      reminder: (r, nodes) => `${r.name}: still ${describe(r as LoadRule)} on ${nodes}`,
    });
  }

  async start(): Promise<void> {
    await this.reload();
    await this.incidents.restore();
  }

  rules(): readonly LoadRule[] {
    return this.#rules;
  }

  async reload(): Promise<void> {
    const before = new Set(this.#rules.map((r) => r.id));
    this.#rules = await this.#alerts.app.store.alerts.loadRules();
    const now = this.#alerts.app.clock.now();
    for (const r of this.#rules) if (!this.#lastRun.has(r.id)) this.#lastRun.set(r.id, now);
    for (const id of before) {
      if (!this.#rules.some((r) => r.id === id)) {
        this.#lastRun.delete(id);
        await this.incidents.dropRule(id);
      }
    }
  }

  forget(uuid: string): void {
    this.incidents.forgetNode(uuid);
  }

  /** Evaluates every rule whose interval has passed. */
  async tick(): Promise<void> {
    const now = this.#alerts.app.clock.now();
    const due = this.#rules.filter((r) => now - (this.#lastRun.get(r.id) ?? 0) >= r.interval * 60_000);
    for (const rule of due) this.#lastRun.set(rule.id, now);
    if (due.length > 0) await this.#evaluate(due, now);
  }

  /** One evaluation of one rule over its window ending now. */
  async evaluate(rule: LoadRule): Promise<void> {
    await this.#evaluate([rule], this.#alerts.app.clock.now());
  }

  /**
   * Rules due together read each node's buckets once, over the widest of their windows, and
   * each judges its own span of them: at 5,000 nodes the reads are nearly all of the cost, and
   * a tick where a 15-minute rule is due is one where the 1- and 5-minute rules are too.
   */
  async #evaluate(rules: readonly LoadRule[], now: number): Promise<void> {
    const { history, store } = this.#alerts.app;
    const width = history.tiers[0]!.bucketSeconds;
    const checks = rules.flatMap((rule) => {
      const read = metricReader(rule.metric);
      return read ? [{ rule, read, clients: new Set(rule.clients), findings: new Map<string, Finding>() }] : [];
    });
    if (checks.length === 0) return;
    const widest = Math.max(...checks.map((c) => c.rule.interval));
    for (const uuid of new Set(checks.flatMap((c) => c.rule.clients))) {
      const node = await store.nodes.get(uuid);
      if (!node) continue;
      const totals = { mem: node.mem_total, swap: node.swap_total, disk: node.disk_total };
      const buckets = await history.buckets(uuid, width, now - widest * 60_000, now);
      for (const c of checks) {
        if (!c.clients.has(uuid)) continue;
        const finding = judge(c.rule, c.read, buckets, now - c.rule.interval * 60_000, totals);
        if (finding) c.findings.set(uuid, finding);
      }
    }
    for (const { rule, findings } of checks) {
      // in the rule's own order of nodes, which words its notices
      const ordered = new Map([...new Set(rule.clients)].flatMap((u) => (findings.has(u) ? [[u, findings.get(u)!] as const] : [])));
      const fired = await this.incidents.apply(rule, ordered);
      if (fired.length > 0) {
        await store.alerts.setLoadRuleNotified(rule.id, now);
        rule.lastNotified = now;
      }
    }
  }
}

/** One node's verdict over the buckets that start at `from` or later (oldest first); undefined without data. */
function judge(rule: LoadRule, read: MetricReader, buckets: readonly HistoryRow[], from: number, totals: Parameters<MetricReader>[1]): Finding | undefined {
  let n = 0;
  let hits = 0;
  let peak = -Infinity;
  for (const b of buckets) {
    if (b.start < from) continue;
    n++;
    const v = read(b, totals);
    if (v === undefined) continue;
    peak = Math.max(peak, v);
    if (v >= rule.threshold) hits++;
  }
  // No data is not a breach (Komari), and not a recovery either: a node that stopped
  // reporting is the offline rule's business.
  if (n === 0) return undefined;
  const needed = Math.max(1, Math.floor(n * rule.ratio));
  return { breached: hits >= needed, detail: `peak ${round(peak)}${metricUnit(rule.metric)}` };
}

function describe(r: LoadRule): string {
  const pctOfWindow = Math.round(r.ratio * 100);
  return `${r.metric} ≥ ${r.threshold}${metricUnit(r.metric)} in ${pctOfWindow}% of ${r.interval} min`;
}
