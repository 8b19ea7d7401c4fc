import type { Transition } from '../../realtime/live-view.ts';
import type { AlertService } from '../alert-service.ts';
import type { OfflineRule, OfflineState } from '../store/types.ts';
import { clockTime, duration } from '../template.ts';

/** Komari's grace when a node has no rule yet (notifications.md §4). */
export const defaultGraceSeconds = 180;

/**
 * Offline/online alerts (notifications.md §4) on every transport: a node is offline when its
 * last socket closed and its POST presence ran out, whichever way its basic info came. One
 * Offline per outage, after the grace; one Online per recovery, only after an Offline; a
 * reconnect inside the grace sends nothing. The state is kept in the store, so a restart neither
 * storms (nodes online before it get `startupGraceMs` to come back) nor forgets an outage that
 * began before it.
 */
export class OfflineWatcher {
  readonly #alerts: AlertService;
  #rules = new Map<string, OfflineRule>();
  readonly #states = new Map<string, OfflineState>();
  /** when a pending node's Offline is due */
  readonly #deadlines = new Map<string, number>();
  /** the open Offline record of a node that is down */
  readonly #open = new Map<string, number>();
  #watching = false;
  /** transitions and ticks run one after another, in order, so a quick flap cannot interleave */
  #chain: Promise<unknown> = Promise.resolve();

  constructor(alerts: AlertService) {
    this.#alerts = alerts;
  }

  /**
   * Reads the states back from the store: at a start, and when this replica becomes the leader
   * (cluster/join.ts), after transitions already queued.
   */
  start(): Promise<void> {
    return this.#serial(() => this.#load());
  }

  async #load(): Promise<void> {
    const { store, clock, limits, live, cluster } = this.#alerts.app;
    await this.reloadRules();
    this.#states.clear();
    this.#deadlines.clear();
    this.#open.clear();
    for (const r of await store.alerts.openRecords()) if (r.kind === 'offline' && r.node) this.#open.set(r.node, r.id);
    const boot = clock.now();
    // Online on some replica now (a leader change; at a start no agent is connected yet): such a
    // node needs no time to come back, and no outage of it may be reported; one that was down or
    // had no state came back while no replica led, so it goes through the online path now.
    const back = new Set(live.onlineUuids());
    for (const s of await store.alerts.offlineStates()) {
      if (back.has(s.client)) {
        this.#states.set(s.client, s);
        if (s.state === 'up') back.delete(s.client);
      } else if (s.state === 'up') {
        // Online when the server stopped (or crashed): its agent gets time to reconnect first.
        const next: OfflineState = { client: s.client, state: 'pending', since: boot };
        this.#states.set(s.client, next);
        this.#deadlines.set(s.client, boot + Math.max(this.#graceMs(s.client), limits.alerts.startupGraceMs));
        // a replica joining a running cluster leaves the leader's states alone: it reads them again if it leads
        if (cluster.isLeader()) await store.alerts.setOfflineState(next);
      } else {
        this.#states.set(s.client, s);
        if (s.state === 'pending') this.#deadlines.set(s.client, s.since + this.#graceMs(s.client));
      }
    }
    this.#watching = true;
    for (const uuid of back) if (!live.isDeleted(uuid)) await this.#online({ uuid, online: true, at: boot });
  }

  stop(): void {
    this.#watching = false;
  }

  async reloadRules(): Promise<void> {
    this.#rules = new Map((await this.#alerts.app.store.alerts.offlineRules()).map((r) => [r.client, r]));
  }

  state(uuid: string): OfflineState | undefined {
    return this.#states.get(uuid);
  }

  forget(uuid: string): void {
    this.#rules.delete(uuid);
    this.#states.delete(uuid);
    this.#deadlines.delete(uuid);
    this.#open.delete(uuid);
  }

  onTransition(t: Transition): void {
    if (!this.#watching || this.#alerts.app.live.isDeleted(t.uuid)) return;
    void this.#serial(() => (t.online ? this.#online(t) : this.#offline(t)));
  }

  #serial(work: () => Promise<void>): Promise<void> {
    const next = this.#chain.then(work);
    this.#chain = this.#alerts.track(next);
    return next;
  }

  /** Resolves once every transition heard so far has been handled (tests wait on it). */
  async settled(): Promise<void> {
    await this.#chain;
  }

  /** Sends the Offline of every node whose grace has run out. */
  tick(): Promise<void> {
    return this.#serial(() => this.#dueOfflines());
  }

  async #dueOfflines(): Promise<void> {
    const now = this.#alerts.app.clock.now();
    for (const [uuid, due] of this.#deadlines) {
      if (due > now) continue;
      this.#deadlines.delete(uuid);
      const s = this.#states.get(uuid);
      if (s?.state !== 'pending') continue;
      const down: OfflineState = { client: uuid, state: 'down', since: s.since };
      this.#states.set(uuid, down);
      await this.#alerts.app.store.alerts.setOfflineState(down);
      const rule = this.#rules.get(uuid);
      if (!rule?.enable) continue;
      const name = (await this.#alerts.nodeNames([uuid]))[0]?.name ?? uuid;
      const recordId = await this.#alerts.fire({
        kind: 'offline',
        event: 'Offline',
        emoji: '🔴',
        message: `${name} is offline since ${clockTime(s.since)} (${duration(now - s.since)})`,
        nodes: [uuid],
        incidentOf: uuid,
        state: 'firing',
        channels: rule.channels,
        quiet: rule.quiet,
      });
      this.#open.set(uuid, recordId);
      await this.#alerts.app.store.alerts.upsertOfflineRules([{ client: uuid, lastNotified: now }]);
      this.#rules.set(uuid, { ...rule, lastNotified: now });
    }
  }

  #graceMs(uuid: string): number {
    return (this.#rules.get(uuid)?.gracePeriod ?? defaultGraceSeconds) * 1000;
  }

  async #ensureRule(uuid: string): Promise<void> {
    if (this.#rules.has(uuid)) return;
    // Komari creates the row (off, 180 s) the first time a node connects or disconnects.
    await this.#alerts.app.store.alerts.upsertOfflineRules([{ client: uuid }]);
    this.#rules.set(uuid, { client: uuid, enable: false, gracePeriod: defaultGraceSeconds, lastNotified: null, channels: null, quiet: null });
  }

  async #offline(t: Transition): Promise<void> {
    await this.#ensureRule(t.uuid);
    const s = this.#states.get(t.uuid);
    if (s && s.state !== 'up') return;
    const next: OfflineState = { client: t.uuid, state: 'pending', since: t.at };
    this.#states.set(t.uuid, next);
    this.#deadlines.set(t.uuid, t.at + this.#graceMs(t.uuid));
    await this.#alerts.app.store.alerts.setOfflineState(next);
  }

  async #online(t: Transition): Promise<void> {
    await this.#ensureRule(t.uuid);
    const s = this.#states.get(t.uuid);
    const next: OfflineState = { client: t.uuid, state: 'up', since: t.at };
    this.#states.set(t.uuid, next);
    this.#deadlines.delete(t.uuid);
    if (s?.state !== 'up') await this.#alerts.app.store.alerts.setOfflineState(next);
    const recordId = this.#open.get(t.uuid);
    if (recordId !== undefined && s?.state === 'down') {
      this.#open.delete(t.uuid);
      await this.#alerts.resolve(recordId);
      const rule = this.#rules.get(t.uuid);
      if (rule?.enable) {
        const name = (await this.#alerts.nodeNames([t.uuid]))[0]?.name ?? t.uuid;
        await this.#alerts.fire({
          kind: 'offline',
          event: 'Online',
          emoji: '🟢',
          message: `${name} is back online after ${duration(t.at - s.since)} offline`,
          nodes: [t.uuid],
          recordId,
          state: 'resolved',
          channels: rule.channels,
          quiet: rule.quiet,
        });
      }
    }
    // Komari checks auto-renewal on every connect of a WebSocket agent (notifications.md §6.2).
    if (this.#alerts.app.live.socketOf(t.uuid)) await this.#alerts.expiry.renewIfDue(t.uuid);
  }
}
