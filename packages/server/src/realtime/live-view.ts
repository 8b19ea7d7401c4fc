import type { Clock } from '../clock.ts';
import type { ServerLimits } from '../config/limits.ts';
import type { AgentConnection } from './agent-connection.ts';
import { RecentWindow } from './recent-window.ts';
import type { StampedReport } from './stamped-report.ts';

/**
 * A node's latest report as the live view holds it: its receive time, and the report itself only
 * when its recent window could not keep it whole; otherwise the window rebuilds it on demand
 * (RecentWindow.newest). The report's object tree then dies young instead of living a second in
 * the old generation (~1 KB a report of V8's old-space garbage at 1 s per node, and 0.7 KB a node
 * held). Its `/api/clients` member is cached here until the next report.
 */
interface Latest {
  at: number;
  kept: StampedReport | undefined;
  feedEntry: string | undefined;
}

export interface Transition {
  uuid: string;
  online: boolean;
  at: number;
}

/**
 * What is true now, in memory only (records.md §2): the latest report and the last minute of
 * reports per node, the agent socket registry and POST presence, and from those the online set.
 * `version` moves on every change, so readers can cache what they build from it.
 */
export class LiveView {
  readonly #clock: Clock;
  readonly #limits: ServerLimits['recent'];
  readonly #latest = new Map<string, Latest>();
  readonly #recent = new Map<string, RecentWindow>();
  readonly #sockets = new Map<string, AgentConnection>();
  /** per node, the v1 socket that has not sent its first frame yet (Komari gives it no deadline) */
  readonly #awaitingFirst = new Map<string, AgentConnection>();
  readonly #presence = new Map<string, number>();
  /** nodes another replica holds (socket or POST presence), by its heartbeats (cluster/live-sync.ts) */
  readonly #remote = new Map<string, { replica: string; until: number }>();
  /** deleted nodes, so a report already in flight cannot recreate their live state */
  readonly #deleted = new Set<string>();
  /** the protocol a node last spoke: decides the command form and whether to queue for it */
  readonly #protocol = new Map<string, 1 | 2>();
  readonly #online = new Set<string>();
  readonly #transitions: Transition[] = [];
  readonly #listeners = new Set<(t: Transition) => void>();
  version = 0;
  /** moves only when a node goes online or offline, or is deleted: readers rebuild at once then */
  onlineVersion = 0;

  /** `limits` is `app.limits.recent` (config/limits.ts) */
  constructor(clock: Clock, limits: ServerLimits['recent']) {
    this.#clock = clock;
    this.#limits = limits;
  }

  record(s: StampedReport): void {
    let ring = this.#recent.get(s.uuid);
    if (!ring) this.#recent.set(s.uuid, (ring = new RecentWindow(this.#limits)));
    const prev = this.#latest.get(s.uuid);
    // an older report than the latest (ingest never sends one) joins the window only
    const older = prev !== undefined && s.at < prev.at;
    if (older) prev.kept ??= this.latest(s.uuid);
    const whole = ring.push(s);
    if (!prev) {
      this.#latest.set(s.uuid, { at: s.at, kept: whole ? undefined : s, feedEntry: undefined });
    } else if (!older) {
      prev.at = s.at;
      prev.kept = whole ? undefined : s;
      prev.feedEntry = undefined;
    }
    ring.trim(this.#clock.now() - this.#limits.windowMs);
    this.version++;
  }

  /** The node's latest report (rebuilt from its recent window: a fresh object each call). */
  latest(uuid: string): StampedReport | undefined {
    const l = this.#latest.get(uuid);
    return l && (l.kept ?? this.#recent.get(uuid)?.newest(uuid));
  }

  /** The receive time of the node's latest report, without rebuilding it. */
  latestAt(uuid: string): number | undefined {
    return this.#latest.get(uuid)?.at;
  }

  /** The latest report's `/api/clients` member (StampedReport.feedEntry), built once per report. */
  latestFeedEntry(uuid: string): string | undefined {
    const l = this.#latest.get(uuid);
    if (l) l.feedEntry ??= this.latest(uuid)?.feedEntry;
    return l?.feedEntry;
  }

  get latestCount(): number {
    return this.#latest.size;
  }

  /** Nodes that have a latest report. */
  latestUuids(): IterableIterator<string> {
    return this.#latest.keys();
  }

  *latestAll(): IterableIterator<StampedReport> {
    for (const uuid of this.#latest.keys()) {
      const s = this.latest(uuid);
      if (s) yield s;
    }
  }

  /** Reports of the last minute, oldest first. */
  recent(uuid: string): StampedReport[] {
    const ring = this.#recent.get(uuid);
    if (!ring) return [];
    ring.trim(this.#clock.now() - this.#limits.windowMs);
    return ring.reports(uuid);
  }

  /** What the node's recent window holds, by the estimate `maxBytesPerNode` bounds. */
  recentBytes(uuid: string): number {
    return this.#recent.get(uuid)?.bytes ?? 0;
  }

  /** Registers the node's socket; returns the one it replaces (newest connection wins). */
  registerSocket(uuid: string, conn: AgentConnection): AgentConnection | undefined {
    const old = this.#sockets.get(uuid);
    this.#sockets.set(uuid, conn);
    this.#protocol.set(uuid, conn.protocol);
    this.#update(uuid);
    return old === conn ? undefined : old;
  }

  /**
   * A v1 socket opened and waits for its first frame, with no deadline (as in Komari). A node
   * holds one such socket: the one it replaces is returned for closing, so an agent token cannot
   * pile up idle sockets until the descriptors run out.
   */
  awaitFirstFrame(uuid: string, conn: AgentConnection): AgentConnection | undefined {
    const old = this.#awaitingFirst.get(uuid);
    this.#awaitingFirst.set(uuid, conn);
    return old === conn ? undefined : old;
  }

  /** The socket sent its first frame or ended. */
  stopAwaitingFirst(uuid: string, conn: AgentConnection): void {
    if (this.#awaitingFirst.get(uuid) === conn) this.#awaitingFirst.delete(uuid);
  }

  /** Unregisters only if the registry still points at this connection. */
  unregisterSocket(uuid: string, conn: AgentConnection): void {
    if (this.#sockets.get(uuid) !== conn) return;
    this.#sockets.delete(uuid);
    this.#update(uuid);
  }

  /** Agent sockets registered here, by protocol (`/metrics`); a fleet's worth of map entries. */
  socketCounts(): { v1: number; v2: number } {
    let v1 = 0;
    for (const conn of this.#sockets.values()) if (conn.protocol === 1) v1++;
    return { v1, v2: this.#sockets.size - v1 };
  }

  socketOf(uuid: string): AgentConnection | undefined {
    return this.#sockets.get(uuid);
  }

  markProtocol(uuid: string, protocol: 1 | 2): void {
    this.#protocol.set(uuid, protocol);
  }

  protocolOf(uuid: string): 1 | 2 | undefined {
    return this.#protocol.get(uuid);
  }

  touchPresence(uuid: string): void {
    this.#presence.set(uuid, this.#clock.now() + this.#limits.presenceTtlMs);
    this.#update(uuid);
  }

  /** Another replica holds the node until `until` (it says so every heartbeat). */
  holdRemote(uuid: string, replica: string, until: number): void {
    if (this.#deleted.has(uuid)) return;
    const held = this.#remote.get(uuid);
    if (held && held.replica === replica) held.until = until;
    else this.#remote.set(uuid, { replica, until });
    if (!held) this.#update(uuid);
  }

  /** The replica no longer holds the node (it said so, or went silent). */
  releaseRemote(uuid: string, replica: string): void {
    if (this.#remote.get(uuid)?.replica !== replica) return;
    this.#remote.delete(uuid);
    this.#update(uuid);
  }

  /** `here` when this replica has the node's socket, else the replica that holds it, if any. */
  ownerOf(uuid: string): string | undefined {
    if (this.#sockets.has(uuid)) return 'here';
    const held = this.#remote.get(uuid);
    return held && held.until > this.#clock.now() ? held.replica : undefined;
  }

  /** Nodes online because of this replica: a socket here or a POST here within the presence TTL. */
  heldHere(): string[] {
    const now = this.#clock.now();
    const out = new Set(this.#sockets.keys());
    for (const [uuid, until] of this.#presence) if (until > now) out.add(uuid);
    return [...out];
  }

  isOnline(uuid: string): boolean {
    return this.#online.has(uuid);
  }

  onlineUuids(): string[] {
    return [...this.#online];
  }

  /** Expires presence entries; call about once a second. */
  sweep(): void {
    const now = this.#clock.now();
    for (const [uuid, until] of this.#presence) {
      if (until <= now) {
        this.#presence.delete(uuid);
        this.#update(uuid);
      }
    }
    for (const [uuid, held] of this.#remote) {
      if (held.until <= now) {
        this.#remote.delete(uuid);
        this.#update(uuid);
      }
    }
  }

  isDeleted(uuid: string): boolean {
    return this.#deleted.has(uuid);
  }

  /** A deleted node: its socket is closed and everything about it forgotten. */
  forget(uuid: string): void {
    this.#deleted.add(uuid);
    this.#sockets.get(uuid)?.close(1000, 'client deleted');
    this.#sockets.delete(uuid);
    this.#presence.delete(uuid);
    this.#remote.delete(uuid);
    this.#protocol.delete(uuid);
    this.#latest.delete(uuid);
    this.#recent.delete(uuid);
    this.onlineVersion++;
    this.#update(uuid);
  }

  onTransition(fn: (t: Transition) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  transitions(): readonly Transition[] {
    return this.#transitions;
  }

  #update(uuid: string): void {
    const until = this.#presence.get(uuid);
    const now = this.#clock.now();
    const remoteUntil = this.#remote.get(uuid)?.until;
    const online = this.#sockets.has(uuid) || (until !== undefined && until > now) || (remoteUntil !== undefined && remoteUntil > now);
    this.version++;
    if (online === this.#online.has(uuid)) return;
    if (online) this.#online.add(uuid);
    else this.#online.delete(uuid);
    this.onlineVersion++;
    const t: Transition = { uuid, online, at: this.#clock.now() };
    this.#transitions.push(t);
    if (this.#transitions.length > this.#limits.transitionLogSize) this.#transitions.shift();
    for (const fn of this.#listeners) fn(t);
  }
}
