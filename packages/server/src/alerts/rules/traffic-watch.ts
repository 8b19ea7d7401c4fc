import { trafficUsed } from '@komari-ts/protocol';
import type { NodeRow } from '../../store/types.ts';
import type { AlertService } from '../alert-service.ts';
import { komariSize, localDate } from '../template.ts';
import { cycleEndOf, cycleStartOf } from './billing-cycle.ts';

/**
 * Traffic-limit alerts: at `traffic_limit_percentage` of the node's limit, then at every further
 * 5 % step, once per billing cycle per step (Komari keeps the step in memory and forgets it on
 * restart; here it is stored with its cycle). The counters are the agent's latest totals, as in
 * Komari. Beyond Komari, the message says when the limit is reached at the rate seen so far.
 */
export class TrafficWatch {
  readonly #alerts: AlertService;
  readonly #steps = new Map<string, { cycleStart: number; step: number }>();

  constructor(alerts: AlertService) {
    this.#alerts = alerts;
  }

  async start(): Promise<void> {
    for (const s of await this.#alerts.app.store.alerts.trafficSteps()) this.#steps.set(s.client, s);
  }

  forget(uuid: string): void {
    this.#steps.delete(uuid);
  }

  async tick(): Promise<void> {
    const start = this.#alerts.app.settings.get('traffic_limit_percentage');
    if (start <= 0) return;
    for (const node of await this.#alerts.app.store.nodes.list()) {
      if (node.traffic_limit > 0) await this.#check(node, start);
    }
  }

  async #check(node: NodeRow, start: number): Promise<void> {
    const { live, clock } = this.#alerts.app;
    const latest = live.latest(node.uuid);
    if (!latest) return;
    const used = trafficUsed(node.traffic_limit_type.toLowerCase(), latest.report.network.totalUp, latest.report.network.totalDown);
    if (used <= 0) return;
    const pct = (used / node.traffic_limit) * 100;
    if (pct < start) return;
    const now = clock.now();
    const cycleStart = cycleStartOf(now, node.expired_at, node.billing_cycle);
    const base = Math.min(Math.ceil(start / 5) * 5, 100);
    const step = Math.max(Math.floor(pct / 5) * 5, base);
    const prev = this.#steps.get(node.uuid);
    // A new cycle, or counters that went down (the agent's monthly reset): start over.
    let last = prev && prev.cycleStart === cycleStart ? prev.step : 0;
    if (step < last) last = 0;
    if (step <= last) {
      if (prev?.step !== last) await this.#save(node.uuid, cycleStart, last);
      return;
    }
    await this.#save(node.uuid, cycleStart, step);
    const type = node.traffic_limit_type.toLowerCase() || 'max';
    const projection = projectionOf(used, node.traffic_limit, cycleStart, cycleEndOf(cycleStart, node.expired_at, node.billing_cycle), now);
    await this.#alerts.fire({
      kind: 'traffic',
      event: 'Traffic',
      emoji: '⚠️',
      message: `used ${step}% (${komariSize(used)} / ${komariSize(node.traffic_limit)}), type=${type}${projection}`,
      nodes: [node.uuid],
    });
  }

  async #save(uuid: string, cycleStart: number, step: number): Promise<void> {
    this.#steps.set(uuid, { cycleStart, step });
    await this.#alerts.app.store.alerts.setTrafficStep(uuid, cycleStart, step);
  }
}

/** "; at this cycle's rate the limit is reached on 2026-12-18" (or not before the cycle ends). */
export function projectionOf(used: number, limit: number, cycleStart: number, cycleEnd: number, now: number): string {
  if (used >= limit) return '; the limit is reached';
  const elapsed = now - cycleStart;
  if (elapsed <= 0) return '';
  const at = now + ((limit - used) / used) * elapsed;
  if (at >= cycleEnd) return `; at this cycle's rate the limit is not reached before the cycle ends on ${localDate(cycleEnd)}`;
  return `; at this cycle's rate the limit is reached on ${localDate(at)}`;
}
