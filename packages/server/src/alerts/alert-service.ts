import type { AppContext } from '../app-context.ts';
import type { Job } from '../scheduler/jobs.ts';
import type { AlertOutcome, AlertSpec } from './alert-spec.ts';
import { Delivery } from './delivery.ts';
import { QuietHold } from './quiet-hold.ts';
import { ExpiryWatch } from './rules/expiry-watch.ts';
import { LoadRules } from './rules/load-rules.ts';
import { loginAlerts } from './rules/login-alerts.ts';
import { OfflineWatcher } from './rules/offline-watcher.ts';
import { PingRules } from './rules/ping-rules.ts';
import { TrafficReports } from './rules/traffic-reports.ts';
import { TrafficWatch } from './rules/traffic-watch.ts';
import { applyLegacyTelegram } from './legacy-telegram.ts';
import { ensureSenderRows } from './sender-rows.ts';
import type { ChannelRow, DeliveryResult } from './store/types.ts';
import { targetsFor } from './targets.ts';
import type { NoticeEvent } from './notifiers/types.ts';

/**
 * Alerting's owner: the rules that watch (offline, load, latency/loss, traffic, expiry, login),
 * the one path every alert takes (`notify`: record, quiet hours, channels, delivery), and the
 * jobs that drive evaluation. Rules never send by themselves; they call `notify`.
 */
export class AlertService {
  readonly app: AppContext;
  readonly delivery: Delivery;
  readonly offline: OfflineWatcher;
  readonly load: LoadRules;
  readonly pingRules: PingRules;
  readonly traffic: TrafficWatch;
  readonly expiry: ExpiryWatch;
  readonly trafficReports: TrafficReports;
  readonly #hold: QuietHold;
  #channels: ChannelRow[] = [];
  readonly #unsubscribe: Array<() => void> = [];
  readonly #inFlight = new Set<Promise<unknown>>();

  constructor(app: AppContext) {
    this.app = app;
    this.delivery = new Delivery({ clock: app.clock, log: app.log, audit: app.audit, limits: app.limits.alerts });
    this.offline = new OfflineWatcher(this);
    this.load = new LoadRules(this);
    this.pingRules = new PingRules(this);
    this.traffic = new TrafficWatch(this);
    this.expiry = new ExpiryWatch(this);
    this.trafficReports = new TrafficReports(this);
    this.#hold = new QuietHold(this);
  }

  async start(): Promise<void> {
    await ensureSenderRows(this.app.store.alerts);
    // The leader owns the alert states: a replica that does not lead only knows the rules, so its
    // start cannot rewrite the states the leader keeps (it reads them when it becomes the leader).
    if (this.app.cluster.isLeader()) await this.resume();
    else await this.reloadRules();
    const { bus } = this.app;
    this.#unsubscribe.push(
      // Only the leader alerts: every replica sees every transition (cluster/live-sync.ts).
      bus.subscribe('node.transition', (t) => this.app.cluster.isLeader() && this.offline.onTransition(t)),
      bus.subscribe('node.deleted', ({ uuid }) => void this.track(this.forgetNode(uuid))),
      bus.subscribe('account.login', (e) => loginAlerts(this, e)),
      bus.subscribe('settings.changed', (e) => void this.track(applyLegacyTelegram(this, e))),
    );
    const every = this.app.limits.alerts;
    const jobs: Job[] = [
      { name: 'alerts.offline', everyMs: every.offlineTickMs, run: () => this.offline.tick() },
      { name: 'alerts.load', everyMs: every.evaluateTickMs, run: () => this.load.tick() },
      { name: 'alerts.ping', everyMs: every.evaluateTickMs, run: () => this.pingRules.tick() },
      { name: 'alerts.traffic', everyMs: every.evaluateTickMs, run: () => this.traffic.tick() },
      { name: 'alerts.expiry', everyMs: every.evaluateTickMs, run: () => this.expiry.tick() },
      { name: 'alerts.traffic-report', everyMs: every.evaluateTickMs, run: () => this.trafficReports.tick() },
      { name: 'alerts.quiet', everyMs: every.evaluateTickMs, run: () => this.#hold.tick() },
    ];
    this.app.jobs.add(...jobs.map((j) => ({ ...j, leaderOnly: true })));
  }

  /** Re-reads channels and rules after another replica changed them (cluster/reload-caches.ts). */
  async reloadRules(): Promise<void> {
    await this.reloadChannels();
    await this.offline.reloadRules();
    await this.load.reload();
    await this.pingRules.reload();
  }

  /**
   * This replica became the leader: the states and open incidents the previous leader kept are
   * read back from the store, as at a start.
   */
  async resume(): Promise<void> {
    await this.reloadChannels();
    await this.offline.start();
    await this.load.start();
    await this.pingRules.start();
    await this.traffic.start();
  }

  /** Transitions from here on are the server's own shutdown, not outages. */
  stopWatching(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    this.offline.stop();
  }

  /** Waits (a bounded time) for deliveries in flight, so their results reach the history. */
  async stop(): Promise<void> {
    this.stopWatching();
    this.delivery.stop();
    const deadline = new Promise((r) => setTimeout(r, 2000).unref());
    await Promise.race([Promise.allSettled([...this.#inFlight]), deadline]);
  }

  /** Resolves when every delivery and transition in flight is done (tests wait on it, never sleep). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Keeps a background promise for `stop` to wait on, and logs its failure. */
  track<T>(p: Promise<T>): Promise<T | undefined> {
    const guarded = p.catch((err: unknown) => {
      this.app.log.error({ err }, 'alert work failed');
      return undefined;
    });
    this.#inFlight.add(guarded);
    void guarded.finally(() => this.#inFlight.delete(guarded));
    return guarded;
  }

  channels(): readonly ChannelRow[] {
    return this.#channels;
  }

  async reloadChannels(): Promise<void> {
    this.#channels = await this.app.store.alerts.channels();
  }

  /** Names for the nodes that exist, in the order given. */
  async nodeNames(uuids: readonly string[]): Promise<Array<{ uuid: string; name: string }>> {
    const out: Array<{ uuid: string; name: string }> = [];
    for (const uuid of new Set(uuids)) {
      const row = await this.app.store.nodes.get(uuid);
      if (row) out.push({ uuid, name: row.name || uuid });
    }
    return out;
  }

  /**
   * The one path of every alert: recorded in the history first, then (notifications on, not
   * inside quiet hours) rendered and delivered to the chosen channels, and the per-channel
   * results added to the record. Resolves when delivery is over.
   */
  async notify(spec: AlertSpec): Promise<AlertOutcome> {
    const { recordId, nodes } = await this.#record(spec);
    return this.#dispatch(spec, recordId, nodes);
  }

  /**
   * What rules use: records the alert and returns its record id at once; delivery goes on in
   * the background, so a slow channel never holds up the rule that fired.
   */
  async fire(spec: AlertSpec): Promise<number> {
    const { recordId, nodes } = await this.#record(spec);
    void this.track(this.#dispatch(spec, recordId, nodes));
    return recordId;
  }

  /**
   * One notice about several nodes that each open an incident of their own (a load rule that
   * several nodes breach at once): one open record per node, one delivery, its results on every
   * record. Returns the record id per node.
   */
  async fireIncidents(spec: AlertSpec, uuids: readonly string[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const uuid of uuids) ids.set(uuid, (await this.#record({ ...spec, nodes: [uuid], incidentOf: uuid })).recordId);
    void this.track(this.followUp(spec, [...ids.values()]));
    return ids;
  }

  /** A notice about existing records (resolves, reminders): delivered once, results on each record. */
  async followUp(spec: AlertSpec, recordIds: readonly number[]): Promise<void> {
    const nodes = await this.nodeNames(spec.nodes);
    const out = await this.#dispatch(spec, -1, nodes);
    for (const id of recordIds) if (out.results.length > 0) await this.app.store.alerts.appendResults(id, out.results);
  }

  async #record(spec: AlertSpec): Promise<{ recordId: number; nodes: Array<{ uuid: string; name: string }> }> {
    const nodes = await this.nodeNames(spec.nodes);
    if (spec.recordId !== undefined) return { recordId: spec.recordId, nodes };
    const recordId = await this.app.store.alerts.addRecord({
      kind: spec.kind,
      ruleId: spec.ruleId ?? null,
      node: spec.incidentOf ?? '',
      nodes,
      event: spec.event,
      message: spec.message,
      firedAt: this.app.clock.now(),
      open: spec.incidentOf !== undefined,
    });
    return { recordId, nodes };
  }

  async #dispatch(spec: AlertSpec, recordId: number, nodes: Array<{ uuid: string; name: string }>): Promise<AlertOutcome> {
    const { store, settings, clock } = this.app;
    const now = clock.now();
    const event: NoticeEvent = { event: spec.event, emoji: spec.emoji, message: spec.message, time: now, clients: nodes, state: spec.state };
    if (!settings.get('notification_enabled')) return { recordId, sent: false, held: false, results: [] };
    const quiet = spec.quiet ?? settings.get('alert_quiet_hours');
    if (!spec.ignoreQuiet && !spec.direct && this.#hold.holds(quiet, now)) {
      this.#hold.add(quiet!, event, spec.channels ?? null);
      return { recordId, sent: false, held: true, results: [] };
    }
    const results = await this.sendNow(event, spec.channels ?? null, { direct: spec.direct });
    if (recordId >= 0) await store.alerts.appendResults(recordId, results);
    return { recordId, sent: true, held: false, results };
  }

  /**
   * Delivers a notice now to the chosen channels, without a record (summaries, channel tests).
   * `only` is one channel, even if it is off (its test); `direct` as in AlertSpec.
   */
  async sendNow(event: NoticeEvent, channels: AlertSpec['channels'] = null, o: { only?: ChannelRow; direct?: boolean } = {}): Promise<DeliveryResult[]> {
    const { store, settings } = this.app;
    const targets = o.only
      ? await targetsFor(store.alerts, settings, [o.only.id], [{ ...o.only, enabled: true }], true)
      : await targetsFor(store.alerts, settings, channels ?? null, this.#channels, o.direct ?? false);
    // A rule whose chosen channels were all deleted or turned off: say so rather than go quiet.
    if (targets.length === 0 && channels !== null) this.app.log.warn({ event: event.event, channels }, 'an alert has no channel to go to: its rule chose channels that are deleted or off');
    return this.delivery.deliver(targets, event, settings.get('notification_template'));
  }

  /** Closes an incident's record. */
  async resolve(recordId: number): Promise<void> {
    await this.app.store.alerts.resolveRecord(recordId, this.app.clock.now());
  }

  async prune(): Promise<number> {
    return this.app.store.alerts.pruneRecords(this.app.limits.alerts.historyKeep);
  }

  async forgetNode(uuid: string): Promise<void> {
    this.offline.forget(uuid);
    this.load.forget(uuid);
    this.pingRules.forget(uuid);
    this.traffic.forget(uuid);
    await this.app.store.alerts.forgetNode(uuid);
  }
}
