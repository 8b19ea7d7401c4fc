// Wire shapes the node page reads (public-api.md §3.1, §6.11, §6.12): the node, the report echo
// and the load record are shared with the server (@komari-ts/protocol); the rest is read here.
import type { LoadRecord } from '@komari-ts/protocol';
import type { ProbeErrorView } from '../lib/probe-error.ts';

export type { LoadRecord, NodeWire, ReportEcho as LiveReport } from '@komari-ts/protocol';

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
  /** komari-ts: why this task's last probe on the node could not run (the code only for guests) */
  probe_error?: ProbeErrorView;
}

export interface PingRecords {
  count: number;
  records: PingRecord[];
  /** omitted when no task is assigned to the node */
  tasks?: PingTaskStats[];
}
