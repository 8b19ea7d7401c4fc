import type { Transition } from '../realtime/live-view.ts';
import type { StampedReport } from '../realtime/stamped-report.ts';

/**
 * What happens in the server that other parts react to, by name. Publishers never learn who
 * listens: ingest and the live view know nothing of alerts. NATS can later carry the same map
 * between replicas (subjects `komari.<event>`).
 */
export interface BusEvents {
  /** a node went online or offline (socket, or POST presence) */
  'node.transition': Transition;
  /** a node was deleted; everything held about it goes */
  'node.deleted': { uuid: string };
  /** an admin saved settings: the keys and the values as stored */
  'settings.changed': { values: Record<string, unknown> };
  /**
   * what a user proved themselves with changed or a session of theirs ended (logout, a session
   * deleted, password, 2FA enabled, replaced or disabled): what they proved since is dropped
   */
  'account.credentialsChanged': { userUuid: string; reason: 'logout' | 'session' | 'password' | 'two-factor' };
  /** a report was accepted here (ingestReport); the live sync forwards it to the other replicas */
  'report.ingested': StampedReport;
  /**
   * an admin changed something stored (a node, a ping task, an alert rule, a provider…): replicas
   * re-read what they hold in memory (cluster/reload-caches.ts)
   */
  'admin.changed': { what: string };
  /** someone logged in (password or OAuth) */
  'account.login': { method: 'password' | 'oauth'; username: string; ip: string; userAgent: string; at: number };
}

export type BusEventName = keyof BusEvents;
