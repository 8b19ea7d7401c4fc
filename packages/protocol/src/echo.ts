import type { Report } from './report.ts';

/**
 * A report as the server gives it back (public-api.md §3.1): `/api/recent` (with `uuid`) and the
 * `/api/clients` socket (without). Differs from the agent's input: `updated_at` added, and in
 * `/api/clients` a zero `cpu.usage` is sent as 0.01; cpu members an agent left at zero are absent.
 */
export type ReportEcho = Omit<Report, 'cpu'> & {
  cpu: Partial<Report['cpu']>;
  updated_at: string;
  uuid?: string;
};

/** The `data` of a `/api/clients` answer to `get` or `get <uuid>` (public-api.md §6.14). */
export interface ClientsFeedData {
  online: string[];
  data: Record<string, ReportEcho>;
}

/** One bucket of `/api/records/load` and `common:getRecords` type=load (rpc2.md §9, public-api.md §6.11), field order as Komari's struct. */
export interface LoadRecord {
  client: string;
  time: string;
  cpu: number;
  gpu: number;
  ram: number;
  ram_total: number;
  swap: number;
  swap_total: number;
  load: number;
  temp: number;
  disk: number;
  disk_total: number;
  net_in: number;
  net_out: number;
  net_total_up: number;
  net_total_down: number;
  traffic_up: number;
  traffic_down: number;
  process: number;
  connections: number;
  connections_udp: number;
}
