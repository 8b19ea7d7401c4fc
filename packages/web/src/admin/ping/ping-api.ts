// Ping tasks through the admin REST routes (admin-api.md §4), and the checks made before saving.
import { apiGet, apiSend } from '../../lib/api.ts';
import type { ProbeErrorView } from '../../lib/probe-error.ts';

export const pingTypes = ['icmp', 'tcp', 'http'] as const;
export type PingType = (typeof pingTypes)[number];

/** The server's bound (a week), so a typo like 6000000 is caught before the round trip. */
export const maxIntervalSeconds = 604_800;

export interface PingTask {
  id: number;
  weight: number;
  name: string;
  clients: string[];
  default_on: boolean;
  type: string;
  target: string;
  interval: number;
  /** komari-ts: nodes whose last probe of this task could not run; absent when none */
  probe_errors?: Array<ProbeErrorView & { client: string }>;
}

export type PingTaskFields = Omit<PingTask, 'id' | 'weight' | 'probe_errors'>;

/**
 * Where a task runs: the servers chosen (and, with `default_on`, those added later too), or every
 * server now and later, which the server's `all` extension fills in from its own node list.
 */
export type PingScope = 'chosen' | 'all';

/** What is sent: Komari's fields, plus `all` (komari-ts) when every server is wanted. */
export type PingTaskInput = PingTaskFields & { all?: true };

/** A saved task reads as "every server" when it takes new servers and already has every one. */
export function scopeOf(task: PingTask | undefined, nodes: readonly { uuid: string }[]): PingScope {
  if (!task?.default_on) return 'chosen';
  const has = new Set(task.clients);
  return nodes.every((n) => has.has(n.uuid)) ? 'all' : 'chosen';
}

export const listPingTasks = (signal?: AbortSignal) => apiGet<PingTask[]>('/api/admin/ping/', signal).then((l) => l ?? []);
export const addPingTask = (f: PingTaskInput) => apiSend<{ task_id: number }>('/api/admin/ping/add', f);
/** The server overwrites every field of the task with what is sent. */
export const editPingTask = (task: PingTaskInput & { id: number }) => apiSend('/api/admin/ping/edit', { tasks: [task] });
export const deletePingTask = (id: number) => apiSend('/api/admin/ping/delete', { id: [id] });

/**
 * A key in `admin-ping` for the first thing wrong with the form, or undefined. The target's shape
 * per type is left to the server, which knows what the agent can probe.
 */
export function formProblem(f: PingTaskFields, intervalText: string, scope: PingScope): string | undefined {
  if (!f.name.trim()) return 'form.errors.name';
  if (!f.target.trim()) return 'form.errors.target';
  if (!/^\d+$/.test(intervalText.trim()) || f.interval < 1 || f.interval > maxIntervalSeconds) return 'form.errors.interval';
  // "also on servers added later" alone would run the task on no server today
  if (scope === 'chosen' && f.clients.length === 0) return 'form.errors.clients';
  return undefined;
}
