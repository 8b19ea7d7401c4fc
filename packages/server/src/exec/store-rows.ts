import type { ExecResult, ExecTask } from '../store/types.ts';

// Rows as both engines hand them back (pg gives BIGINT as a string): Number() reads either.

function clientsOf(text: unknown): string[] {
  try {
    const v: unknown = JSON.parse(String(text));
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

export function toTask(r: Record<string, unknown>): ExecTask {
  return { taskId: String(r.task_id), clients: clientsOf(r.clients), command: String(r.command), createdAt: Number(r.created_at) };
}

export function toResult(r: Record<string, unknown>): ExecResult {
  return {
    taskId: String(r.task_id),
    client: String(r.client),
    result: String(r.result),
    exitCode: r.exit_code === null ? null : Number(r.exit_code),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
    createdAt: Number(r.created_at),
  };
}
