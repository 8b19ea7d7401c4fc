import type { AppContext } from '../app-context.ts';
import type { Report } from '@komari-ts/protocol';
import { StampedReport } from '../realtime/stamped-report.ts';
import { HeldByReplica, heartbeatParts, isHeartbeatPart } from './heartbeats.ts';

/** `[uuid, at, report]`: one accepted report as it travels between replicas */
type Forwarded = [string, number, Report];

const uuidLike = /^[0-9a-zA-Z-]{1,64}$/;

function isForwarded(v: unknown): v is Forwarded {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && uuidLike.test(v[0]) && typeof v[1] === 'number' && typeof v[2] === 'object' && v[2] !== null;
}

/**
 * The live view shared by every replica: each one forwards the reports it accepted (batched every
 * `forwardEveryMs`, chunked under NATS's payload limit) and says every `heartbeatEveryMs` which
 * nodes it holds. The others show those reports and count those nodes online until the holder goes
 * silent for `replicaTimeoutMs` (a `kill -9`): then they go offline everywhere, and the leader's
 * offline alerts see it. History stays with the replica that accepted the report.
 */
export function startLiveSync(app: AppContext): () => void {
  const { cluster, live, limits, clock, log } = app;
  const l = limits.cluster;
  let pending: Forwarded[] = [];
  let dropped = 0;
  let badLogged = 0;
  let refusedLogged = 0;
  const heldBy = new HeldByReplica();
  let seq = 0;
  const beat = (nodes: readonly string[]) => {
    seq++;
    for (const part of heartbeatParts(cluster.replicaId, seq, nodes, l.maxHeartbeatNodes)) cluster.publish('heartbeat', part);
  };

  const offRecord = app.bus.subscribe('report.ingested', (s) => {
    if (pending.length >= l.maxForwardReports) {
      pending.shift();
      dropped++;
    }
    pending.push([s.uuid, s.at, s.report]);
  });

  function forward(): void {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    let chunk: string[] = [];
    let bytes = 0;
    const send = () => {
      if (chunk.length > 0) cluster.publish('reports', { from: cluster.replicaId, reports: `[${chunk.join(',')}]` });
      chunk = [];
      bytes = 0;
    };
    for (const f of batch) {
      const text = JSON.stringify(f);
      if (bytes + text.length > l.maxMessageBytes) send();
      chunk.push(text);
      bytes += text.length;
    }
    send();
  }

  function heartbeat(): void {
    // Reports accepted before a node left go out before the beat that no longer names it: one
    // arriving after that beat would hold the node online elsewhere again for replicaTimeoutMs.
    forward();
    // a replica gone silent: its nodes expire in the live view (live.sweep); forget its list
    heldBy.forgetSilent(clock.now() - l.replicaTimeoutMs);
    beat(live.heldHere());
    if (dropped > 0) {
      log.warn({ dropped }, 'cluster: reports were dropped from the forward to other replicas (their live view only; history has them)');
      dropped = 0;
    }
    const bad = 'badMessages' in cluster ? Number(cluster.badMessages) : 0;
    if (bad > badLogged) {
      log.warn({ count: bad - badLogged }, 'cluster: messages that were not JSON were ignored');
      badLogged = bad;
    }
    const refused = 'publishFailures' in cluster ? Number(cluster.publishFailures) : 0;
    if (refused > refusedLogged) {
      log.warn({ count: refused - refusedLogged }, 'cluster: NATS refused messages (too large, or the connection is closed)');
      refusedLogged = refused;
    }
  }

  const offReports = cluster.subscribe('reports', (m) => {
    const msg = m as { from?: unknown; reports?: unknown };
    if (typeof msg.from !== 'string' || typeof msg.reports !== 'string') return;
    let list: unknown;
    try {
      list = JSON.parse(msg.reports);
    } catch {
      return;
    }
    if (!Array.isArray(list)) return;
    const until = clock.now() + l.replicaTimeoutMs;
    for (const f of list) {
      if (!isForwarded(f) || live.isDeleted(f[0]) || live.ownerOf(f[0]) === 'here') continue;
      live.record(new StampedReport(f[0], f[2], f[1]));
      live.holdRemote(f[0], msg.from, until);
      app.history.release(f[0]);
      app.ping.history.release(f[0]);
    }
  });

  const offHeartbeat = cluster.subscribe('heartbeat', (m) => {
    if (!isHeartbeatPart(m, l.maxHeartbeatNodes) || m.from === cluster.replicaId) return;
    const until = clock.now() + l.replicaTimeoutMs;
    for (const uuid of heldBy.take(m, clock.now())) live.releaseRemote(uuid, m.from);
    for (const uuid of m.nodes) {
      if (live.ownerOf(uuid) === 'here') continue;
      live.holdRemote(uuid, m.from, until);
      app.history.release(uuid);
      app.ping.history.release(uuid);
    }
  });

  // A node going online or offline here is told at once, not at the next beat.
  let soon: NodeJS.Timeout | undefined;
  const offTransition = live.onTransition(() => {
    soon ??= setTimeout(() => {
      soon = undefined;
      heartbeat();
    }, 20);
  });

  const timers = [setInterval(forward, l.forwardEveryMs), setInterval(heartbeat, l.heartbeatEveryMs)];
  for (const t of timers) t.unref();
  heartbeat();
  return () => {
    for (const t of timers) clearInterval(t);
    clearTimeout(soon);
    forward();
    // leaving: the others let go of this replica's nodes now rather than after replicaTimeoutMs
    beat([]);
    offRecord();
    offReports();
    offHeartbeat();
    offTransition();
  };
}
