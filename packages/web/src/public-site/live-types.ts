// The wire shapes the dashboard reads: nodes from /api/nodes (the shared NodeWire) and the live
// report of /api/clients (public-api.md §3.1, §6.14), which differs from the agent's input: no
// `uuid`, `updated_at` added, `cpu.usage` 0 sent as 0.01, and an old server may omit parts.
import type { Report } from '@komari-ts/protocol';

export type { NodeWire } from '@komari-ts/protocol';

export type LiveReport = Partial<Omit<Report, 'cpu'>> & {
  cpu?: Partial<Report['cpu']>;
  updated_at?: string;
};

/** One `get` answer of the /api/clients socket. */
export interface ClientsFrame {
  status: string;
  error?: string;
  data?: { online?: string[]; data?: Record<string, LiveReport> };
}

/** What a card shows for one node: its latest report (kept when it goes offline) and presence. */
export interface LiveEntry {
  report: LiveReport | undefined;
  online: boolean;
}
