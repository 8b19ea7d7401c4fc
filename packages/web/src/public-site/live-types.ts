// The wire shapes the dashboard reads: nodes from /api/nodes (the shared NodeWire) and the live
// report of /api/clients (public-api.md §3.1, §6.14), which differs from the agent's input: no
// `uuid`, `updated_at` added, `cpu.usage` 0 sent as 0.01, and an old server may omit parts.
import type { ReportEcho } from '@komari-ts/protocol';

export type { NodeWire } from '@komari-ts/protocol';

/** Every part optional: a card must not break on a report from an older agent. */
export type LiveReport = Partial<ReportEcho>;

/** What a card shows for one node: its latest report (kept when it goes offline) and presence. */
export interface LiveEntry {
  report: LiveReport | undefined;
  online: boolean;
}
