import type { PingBucketRow } from '../../store/types.ts';
import type { AlertService } from '../alert-service.ts';
import type { PingRule } from '../store/types.ts';
import { Incidents, type Finding } from './incidents.ts';

/** What a node's probes of one task did over a window. */
export interface PingWindow {
  sent: number;
  lost: number;
  /** the median of the per-bucket mean latencies (ms); NaN when nothing came back */
  medianMs: number;
}

/**
 * Loss and latency of a series over its buckets. The rollups keep sums, not samples, so the
 * median is taken over the finest buckets' means (one per minute by default): a spike inside
 * one minute moves one value, not the median.
 */
export function pingWindowOf(buckets: readonly PingBucketRow[]): PingWindow {
  let sent = 0;
  let lost = 0;
  const means: number[] = [];
  for (const b of buckets) {
    sent += b.sent;
    lost += b.lost;
    const ok = b.sent - b.lost;
    if (ok > 0) means.push(b.sum / ok);
  }
  means.sort((a, b) => a - b);
  const mid = means.length >> 1;
  const medianMs = means.length === 0 ? NaN : means.length % 2 ? means[mid]! : (means[mid - 1]! + means[mid]!) / 2;
  return { sent, lost, medianMs };
}

const round = (v: number): string => (Math.round(v * 10) / 10).toString();

/**
 * Latency and loss rules per ping task (komari-ts; Komari cannot alert on either): a node
 * breaches when its loss over the last N minutes is at least X %, or its median latency at
 * least T ms. Evaluated every minute from the finest ping tier (memory laid over the store).
 */
export class PingRules {
  readonly #alerts: AlertService;
  readonly incidents: Incidents;
  #rules: PingRule[] = [];

  constructor(alerts: AlertService) {
    this.#alerts = alerts;
    this.incidents = new Incidents(alerts, {
      kind: 'ping',
      firing: (r, nodes) => `${r.name}: ${describe(r as unknown as PingRule)} on ${nodes}`,
      resolved: (r, nodes) => `${r.name}: back to normal on ${nodes}`,
      reminder: (r, nodes) => `${r.name}: still ${describe(r as unknown as PingRule)} on ${nodes}`,
    });
  }

  async start(): Promise<void> {
    await this.reload();
    await this.incidents.restore();
  }

  rules(): readonly PingRule[] {
    return this.#rules;
  }

  async reload(): Promise<void> {
    const before = this.#rules;
    this.#rules = await this.#alerts.app.store.alerts.pingRules();
    for (const old of before) {
      const now = this.#rules.find((r) => r.id === old.id);
      if (!now || !now.enabled) await this.incidents.dropRule(old.id);
    }
  }

  forget(uuid: string): void {
    this.incidents.forgetNode(uuid);
  }

  /**
   * Every enabled rule, each over its own window. Rules of one task share one read of the
   * task's buckets over the widest of their windows: the read is nearly all of the cost.
   */
  async tick(): Promise<void> {
    const rules = this.#rules.filter((r) => r.enabled);
    const now = this.#alerts.app.clock.now();
    const widest = new Map<number, number>();
    for (const r of rules) widest.set(r.taskId, Math.max(widest.get(r.taskId) ?? 0, r.windowMinutes));
    const reads = new Map<number, Promise<Map<string, PingBucketRow[]>>>();
    for (const rule of rules) {
      let read = reads.get(rule.taskId);
      if (!read) reads.set(rule.taskId, (read = this.#read(rule.taskId, widest.get(rule.taskId)!, now)));
      await this.#evaluate(rule, now, await read);
    }
  }

  async evaluate(rule: PingRule): Promise<void> {
    const now = this.#alerts.app.clock.now();
    await this.#evaluate(rule, now, await this.#read(rule.taskId, rule.windowMinutes, now));
  }

  /** A task's finest buckets over the last `minutes`, per node, oldest first. */
  async #read(taskId: number, minutes: number, now: number): Promise<Map<string, PingBucketRow[]>> {
    const { ping } = this.#alerts.app;
    const byNode = new Map<string, PingBucketRow[]>();
    if (!ping.task(taskId)) return byNode;
    const width = ping.history.tiers[0]!.bucketSeconds;
    for (const b of await ping.history.buckets({ task: taskId }, width, now - minutes * 60_000, now)) {
      const list = byNode.get(b.node);
      if (list) list.push(b);
      else byNode.set(b.node, [b]);
    }
    return byNode;
  }

  async #evaluate(rule: PingRule, now: number, byNode: ReadonlyMap<string, readonly PingBucketRow[]>): Promise<void> {
    const task = this.#alerts.app.ping.task(rule.taskId);
    if (!task) return;
    const ofTask = new Set(task.clients);
    const nodes = rule.clients.length > 0 ? rule.clients.filter((c) => ofTask.has(c)) : task.clients;
    const from = now - rule.windowMinutes * 60_000;
    const findings = new Map<string, Finding>();
    for (const uuid of nodes) {
      const w = pingWindowOf((byNode.get(uuid) ?? []).filter((b) => b.start >= from));
      // No probe in the window: no verdict (the node may be offline; that rule speaks for it).
      if (w.sent === 0) continue;
      const loss = (w.lost / w.sent) * 100;
      const lossBad = rule.lossPercent > 0 && loss >= rule.lossPercent;
      const slow = rule.latencyMs > 0 && Number.isFinite(w.medianMs) && w.medianMs >= rule.latencyMs;
      const detail = `loss ${round(loss)}%${Number.isFinite(w.medianMs) ? `, median ${round(w.medianMs)} ms` : ''}`;
      findings.set(uuid, { breached: lossBad || slow, detail });
    }
    await this.incidents.apply({ ...rule, consecutive: 1 }, findings);
  }
}

function describe(r: PingRule): string {
  const parts: string[] = [];
  if (r.lossPercent > 0) parts.push(`loss ≥ ${r.lossPercent}%`);
  if (r.latencyMs > 0) parts.push(`median latency ≥ ${r.latencyMs} ms`);
  return `${parts.join(' or ')} over ${r.windowMinutes} min`;
}
