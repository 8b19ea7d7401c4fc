// Wire shapes the node page reads (public-api.md §3.1, §6.11, §6.12). The node itself is the
// shared NodeWire; the report shape read back from /api/recent and /api/clients differs from the
// agent's input (`updated_at` added, `cpu.usage` omitted when 0), so it is derived here.
import type { Report } from '@komari-ts/protocol';

export type { NodeWire } from '@komari-ts/protocol';

/** A report as /api/recent and /api/clients give it back. */
export type LiveReport = Omit<Report, 'cpu'> & {
  cpu: Partial<Report['cpu']>;
  updated_at: string;
  uuid?: string;
};

/** One bucket of /api/records/load (all load types). */
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
  disk: number;
  disk_total: number;
  net_in: number;
  net_out: number;
  process: number;
  connections: number;
  connections_udp: number;
}

export interface LoadRecords {
  count: number;
  records: LoadRecord[];
  has_gpu_data?: boolean;
}

/** One bucket of one ping task: the bucket's last result in ms, -1 = lost. */
export interface PingRecord {
  task_id?: number;
  time: string;
  value: number;
  client?: string;
}

export interface PingTaskStats {
  id: number;
  name: string;
  type: string;
  interval: number;
  loss: number;
  min: number;
  max: number;
  avg: number;
  total: number;
}

export interface PingRecords {
  count: number;
  records: PingRecord[];
  /** omitted when no task is assigned to the node */
  tasks?: PingTaskStats[];
}

/** The /api/clients answer to `get <uuid>`. */
export interface LiveFeed {
  online: string[];
  data: Record<string, LiveReport>;
}
