// Remote exec through the admin REST routes (admin-api.md §5).
import { apiGet, apiSend } from '../../lib/api.ts';

export interface TaskResult {
  client: string;
  result: string;
  exit_code: number | null;
  finished_at: string | null;
  created_at: string;
}

export interface ExecTask {
  task_id: string;
  clients: string[];
  command: string;
  results: TaskResult[];
}

/** `clients`/`queued_clients` are null when empty (Go nil slices). */
export interface ExecAnswer {
  task_id: string;
  clients: string[] | null;
  queued_clients: string[] | null;
}

/** The server's text for a client that was offline when the task went out (admin-api.md §5.1 step 5). */
const offlineText = 'Client offline!';

export const resultStates = ['ok', 'failed', 'offline', 'pending'] as const;
export type ResultState = (typeof resultStates)[number];

export function resultState(r: TaskResult): ResultState {
  if (r.finished_at === null) return 'pending';
  if (r.exit_code === -1 && r.result === offlineText) return 'offline';
  return r.exit_code === 0 ? 'ok' : 'failed';
}

export const isDone = (task: ExecTask) => task.results.every((r) => r.finished_at !== null);

/** The 2FA code, when the account has 2FA: exec is a sensitive action (auth.md §7). */
export function runCommand(command: string, clients: string[], code: string): Promise<ExecAnswer> {
  const body: Record<string, unknown> = { command, clients };
  if (code.trim()) body['2fa_code'] = code.trim();
  return apiSend<ExecAnswer>('/api/admin/task/exec', body);
}

export const getTask = (id: string, signal?: AbortSignal) => apiGet<ExecTask>(`/api/admin/task/${encodeURIComponent(id)}`, signal);

/** Every task, newest first (the server lists them oldest first). */
export async function listTasks(signal?: AbortSignal): Promise<ExecTask[]> {
  return [...((await apiGet<ExecTask[]>('/api/admin/task/all', signal)) ?? [])].reverse();
}
