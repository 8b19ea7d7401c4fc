import type { ImportKind } from '@komari-ts/protocol/import-report';
import type { DatabaseSync } from 'node:sqlite';
import type { Clock } from '../../clock.ts';
import type { ServerLimits } from '../../config/limits.ts';
import type { Store } from '../../store/types.ts';
import type { ImportReportBuilder } from './report.ts';

/** What every part of an import reads and fills in. */
export interface ImportContext {
  /** Komari's main database, opened read-only */
  db: DatabaseSync;
  store: Store;
  report: ImportReportBuilder;
  /** fresh: Komari's values replace the target's; merge: the target's rows and values are kept */
  mode: 'fresh' | 'merge';
  /** the Komari schema read, as detect.ts names it */
  schema: string;
  clock: Clock;
  limits: ServerLimits;
  /** uuids of Komari's nodes that are now in the target (imported, or there already with the same token) */
  nodes: Set<string>;
  /** uuids of every node the target holds after the node step (what rules may point to) */
  knownNodes: Set<string>;
  /** Komari ping task id → the target's id, for tasks imported or found there already */
  pingTasks: Map<number, number>;
}

/** Keeps the uuids a rule may name; the others are reported once per rule. */
export function knownClients(ctx: ImportContext, kind: ImportKind, id: string | number, clients: readonly string[]): string[] {
  const unique = [...new Set(clients)];
  const kept = unique.filter((c) => ctx.knownNodes.has(c));
  const dropped = unique.length - kept.length;
  if (dropped > 0) ctx.report.skip(kind, `${dropped} node(s) it named are not on this server; left them out of it`, id);
  return kept;
}
