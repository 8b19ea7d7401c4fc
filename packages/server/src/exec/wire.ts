import type { NodeWire } from '@komari-ts/protocol';
import { toNodeWire } from '../services/node-wire.ts';
import type { ExecResult, ExecTask, NodeRow } from '../store/types.ts';
import { formatTime } from '../util/time.ts';

/** Go's zero time, 0001-01-01T00:00:00Z, in Unix ms. */
const goZeroTime = -62_135_596_800_000;

function timeOrNull(ms: number | null): string | null {
  return ms === null ? null : formatTime(ms);
}

/** One result inside a task of `admin:getTasks` / `admin:getTaskById`. */
export interface TaskResultBrief {
  client: string;
  result: string;
  exit_code: number | null;
  finished_at: string | null;
  created_at: string;
}

export interface TaskWire {
  task_id: string;
  clients: string[];
  command: string;
  results: TaskResultBrief[];
}

/** A task with its results (admin-api.md §5.2). */
export function toTaskWire(task: ExecTask, results: readonly ExecResult[]): TaskWire {
  return {
    task_id: task.taskId,
    clients: task.clients,
    command: task.command,
    results: results.map((r) => ({
      client: r.client,
      result: r.result,
      exit_code: r.exitCode,
      finished_at: timeOrNull(r.finishedAt),
      created_at: formatTime(r.createdAt),
    })),
  };
}

/** `admin:getTasksByClientId` rows: Komari's raw Task model, whose `Results` key is capitalised and never loaded. */
export function toTaskRowWire(task: ExecTask): { task_id: string; clients: string[]; command: string; Results: null } {
  return { task_id: task.taskId, clients: task.clients, command: task.command, Results: null };
}

/**
 * The zero-valued Client Komari puts in every result's `client_info` (it never loads it): empty
 * strings and numbers, Go's zero time, and no `uuid`/`token` (omitted when empty).
 */
function emptyClientInfo(): Omit<NodeWire, 'uuid'> {
  const zero: NodeRow = {
    uuid: '', token: '', name: '', cpu_name: '', virtualization: '', arch: '', cpu_cores: 0, cpu_physical_cores: 0,
    os: '', kernel_version: '', gpu_name: '', ipv4: '', ipv6: '', region: '', remark: '', public_remark: '',
    mem_total: 0, swap_total: 0, disk_total: 0, version: '', weight: 0, price: 0, billing_cycle: 0, auto_renewal: false,
    currency: '', expired_at: goZeroTime, group: '', tags: '', hidden: false, traffic_limit: 0, traffic_limit_type: '',
    created_at: goZeroTime, updated_at: goZeroTime,
  };
  const { uuid: _uuid, ...wire } = toNodeWire(zero);
  return wire;
}

export interface TaskResultWire extends TaskResultBrief {
  task_id: string;
  client_info: Omit<NodeWire, 'uuid'>;
}

/** A raw result row (`admin:getTaskResultsByTaskId`, `admin:getSpecificTaskResult`). */
export function toResultWire(r: ExecResult): TaskResultWire {
  return {
    task_id: r.taskId,
    client: r.client,
    client_info: emptyClientInfo(),
    result: r.result,
    exit_code: r.exitCode,
    finished_at: timeOrNull(r.finishedAt),
    created_at: formatTime(r.createdAt),
  };
}
