import type { AlertService } from '../alert-service.ts';
import type { ChannelChoice, QuietWindow } from '../store/types.ts';

/** What one evaluation found for one node. */
export interface Finding {
  breached: boolean;
  /** the figure that decided it, for the message ("peak 97%") */
  detail: string;
}

/** A rule as far as firing and resolving go. */
export interface IncidentRule {
  id: number;
  name: string;
  consecutive: number;
  reminderMinutes: number;
  notifyResolved: boolean;
  channels: ChannelChoice;
  quiet: QuietWindow | null;
}

/** How a rule kind words its notices. */
export interface IncidentTexts {
  kind: string;
  /** `nodes` is "tokyo-01 (peak 97%), osaka-02 (peak 91%)": "High CPU: cpu ≥ 80% on <nodes>" */
  firing(rule: IncidentRule, nodes: string): string;
  resolved(rule: IncidentRule, nodes: string): string;
  reminder(rule: IncidentRule, nodes: string): string;
}

interface Firing {
  recordId: number;
  since: number;
  lastSent: number;
}

/**
 * Fire once, remind if asked, resolve once: the incident bookkeeping the load and the
 * latency/loss rules share. A node fires after `consecutive` breaching evaluations in a row; it
 * resolves on the first evaluation that does not breach. Open incidents live in the alert
 * history, so they survive a restart; streaks start over.
 */
export class Incidents {
  readonly #alerts: AlertService;
  readonly #texts: IncidentTexts;
  readonly #firing = new Map<string, Firing>();
  readonly #streaks = new Map<string, number>();

  constructor(alerts: AlertService, texts: IncidentTexts) {
    this.#alerts = alerts;
    this.#texts = texts;
  }

  async restore(): Promise<void> {
    for (const r of await this.#alerts.app.store.alerts.openRecords()) {
      if (r.kind !== this.#texts.kind || r.ruleId === null || !r.node) continue;
      const last = r.results.reduce((m, x) => Math.max(m, x.at), r.firedAt);
      this.#firing.set(key(r.ruleId, r.node), { recordId: r.id, since: r.firedAt, lastSent: last });
    }
  }

  isFiring(ruleId: number, uuid: string): boolean {
    return this.#firing.has(key(ruleId, uuid));
  }

  /** Applies one evaluation of a rule: fires, reminds and resolves as needed. Returns the nodes that fired. */
  async apply(rule: IncidentRule, findings: ReadonlyMap<string, Finding>): Promise<string[]> {
    const now = this.#alerts.app.clock.now();
    const fired: string[] = [];
    const resolved: Array<[string, Firing]> = [];
    const remind: Array<[string, Firing]> = [];
    for (const [uuid, f] of findings) {
      const k = key(rule.id, uuid);
      const firing = this.#firing.get(k);
      if (!f.breached) {
        this.#streaks.delete(k);
        if (firing) resolved.push([uuid, firing]);
        continue;
      }
      const streak = (this.#streaks.get(k) ?? 0) + 1;
      this.#streaks.set(k, streak);
      if (!firing && streak >= Math.max(1, rule.consecutive)) fired.push(uuid);
      else if (firing && rule.reminderMinutes > 0 && now - firing.lastSent >= rule.reminderMinutes * 60_000) remind.push([uuid, firing]);
    }
    if (fired.length + resolved.length + remind.length === 0) return fired;
    // names of the nodes the notices mention, not of every node judged (5,000 lookups a rule)
    const mentioned = [...fired, ...resolved.map(([u]) => u), ...remind.map(([u]) => u)];
    const names = new Map((await this.#alerts.nodeNames(mentioned)).map((n) => [n.uuid, n.name]));
    const label = (uuids: readonly string[]) => uuids.map((u) => `${names.get(u) ?? u} (${findings.get(u)!.detail})`).join(', ');
    const base = { kind: this.#texts.kind, ruleId: rule.id, channels: rule.channels, quiet: rule.quiet };
    if (fired.length > 0) {
      const ids = await this.#alerts.fireIncidents(
        { ...base, event: 'Alert', emoji: '⚠️', message: this.#texts.firing(rule, label(fired)), nodes: fired, state: 'firing' },
        fired,
      );
      for (const [uuid, recordId] of ids) this.#firing.set(key(rule.id, uuid), { recordId, since: now, lastSent: now });
    }
    if (resolved.length > 0) {
      const uuids = resolved.map(([u]) => u);
      for (const [uuid, f] of resolved) {
        this.#firing.delete(key(rule.id, uuid));
        await this.#alerts.resolve(f.recordId);
      }
      if (rule.notifyResolved) {
        const spec = { ...base, event: 'Resolved', emoji: '✅', message: this.#texts.resolved(rule, label(uuids)), nodes: uuids, state: 'resolved' as const };
        void this.#alerts.track(this.#alerts.followUp(spec, resolved.map(([, f]) => f.recordId)));
      }
    }
    if (remind.length > 0) {
      const uuids = remind.map(([u]) => u);
      for (const [, f] of remind) f.lastSent = now;
      const spec = { ...base, event: 'Alert', emoji: '⚠️', message: this.#texts.reminder(rule, label(uuids)), nodes: uuids, state: 'reminder' as const };
      void this.#alerts.track(this.#alerts.followUp(spec, remind.map(([, f]) => f.recordId)));
    }
    return fired;
  }

  /** A rule that was edited or deleted: its incidents close without a message. */
  async dropRule(ruleId: number): Promise<void> {
    for (const [k, f] of this.#firing) {
      if (!k.startsWith(`${ruleId}:`)) continue;
      this.#firing.delete(k);
      await this.#alerts.resolve(f.recordId);
    }
    for (const k of this.#streaks.keys()) if (k.startsWith(`${ruleId}:`)) this.#streaks.delete(k);
  }

  forgetNode(uuid: string): void {
    for (const k of [...this.#firing.keys(), ...this.#streaks.keys()]) {
      if (k.endsWith(`:${uuid}`)) {
        this.#firing.delete(k);
        this.#streaks.delete(k);
      }
    }
  }
}

function key(ruleId: number, uuid: string): string {
  return `${ruleId}:${uuid}`;
}
