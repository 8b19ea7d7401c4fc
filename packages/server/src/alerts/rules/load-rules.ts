import type { AlertService } from '../alert-service.ts';
import type { LoadRule } from '../store/types.ts';
import { Incidents, type Finding } from './incidents.ts';
import { metricReader, metricUnit } from './load-metric.ts';

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
    for (const rule of this.#rules) {
      if (now - (this.#lastRun.get(rule.id) ?? 0) < rule.interval * 60_000) continue;
      this.#lastRun.set(rule.id, now);
      await this.evaluate(rule);
    }
  }

  /** One evaluation of one rule over its window ending now. */
  async evaluate(rule: LoadRule): Promise<void> {
    const read = metricReader(rule.metric);
    if (!read) return;
    const { history, store, clock } = this.#alerts.app;
    const now = clock.now();
    const width = history.tiers[0]!.bucketSeconds;
    const findings = new Map<string, Finding>();
    for (const uuid of new Set(rule.clients)) {
      const node = await store.nodes.get(uuid);
      if (!node) continue;
      const totals = { mem: node.mem_total, swap: node.swap_total, disk: node.disk_total };
      // Buckets that start inside the window: the one starting exactly `interval` ago holds older samples.
      const buckets = await history.buckets(uuid, width, now - rule.interval * 60_000 + 1, now);
      let hits = 0;
      let peak = -Infinity;
      for (const b of buckets) {
        const v = read(b, totals);
        if (v === undefined) continue;
        peak = Math.max(peak, v);
        if (v >= rule.threshold) hits++;
      }
      const needed = Math.max(1, Math.floor(buckets.length * rule.ratio));
      // No data is not a breach (Komari), and not a recovery either: a node that stopped
      // reporting is the offline rule's business.
      if (buckets.length === 0) continue;
      findings.set(uuid, { breached: hits >= needed, detail: `peak ${round(peak)}${metricUnit(rule.metric)}` });
    }
    const fired = await this.incidents.apply(rule, findings);
    if (fired.length > 0) {
      await store.alerts.setLoadRuleNotified(rule.id, now);
      rule.lastNotified = now;
    }
  }
}

function describe(r: LoadRule): string {
  const pctOfWindow = Math.round(r.ratio * 100);
  return `${r.metric} ≥ ${r.threshold}${metricUnit(r.metric)} in ${pctOfWindow}% of ${r.interval} min`;
}
