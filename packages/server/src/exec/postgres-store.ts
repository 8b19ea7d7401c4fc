import type pg from 'pg';
import { inPgTransaction } from '../store/postgres/connection.ts';
import type { ExecTaskStore } from '../store/types.ts';
import { toResult, toTask } from './store-rows.ts';


const taskColumns = 'task_id, clients, command, created_at';
const resultColumns = 'task_id, client, result, exit_code, finished_at, created_at';

/** Remote exec tasks and their per-client results in the tables `tasks` and `task_results` (as sqlite-store.ts). */
export function pgExecTasks(pool: pg.Pool): ExecTaskStore {
  return {
    async create(task, results) {
      await inPgTransaction(pool, async (c) => {
        await c.query(`INSERT INTO tasks (${taskColumns}) VALUES ($1, $2, $3, $4)`, [
          task.taskId,
          JSON.stringify(task.clients),
          task.command,
          task.createdAt,
        ]);
        // One row at a time: the identity `id` then follows the array's order, which results() keeps.
        for (const r of results) {
          await c.query(`INSERT INTO task_results (${resultColumns}) VALUES ($1, $2, $3, $4, $5, $6)`, [
            r.taskId,
            r.client,
            r.result,
            r.exitCode,
            r.finishedAt,
            r.createdAt,
          ]);
        }
      });
    },
    async list() {
      return (await pool.query(`SELECT ${taskColumns} FROM tasks ORDER BY seq`)).rows.map(toTask);
    },
    async get(taskId) {
      const r = (await pool.query(`SELECT ${taskColumns} FROM tasks WHERE task_id = $1`, [taskId])).rows[0] as Record<string, unknown> | undefined;
      return r ? toTask(r) : undefined;
    },
    async byClient(uuid) {
      // Exact element match, as SQLite's json_each: a uuid that only contains another never matches.
      const sql = `SELECT ${taskColumns} FROM tasks t
        WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(t.clients::jsonb) v WHERE v = $1) ORDER BY seq`;
      return (await pool.query(sql, [uuid])).rows.map(toTask);
    },
    async results(taskId) {
      const q =
        taskId === undefined
          ? pool.query(`SELECT ${resultColumns} FROM task_results ORDER BY id`)
          : pool.query(`SELECT ${resultColumns} FROM task_results WHERE task_id = $1 ORDER BY id`, [taskId]);
      return (await q).rows.map(toResult);
    },
    async result(taskId, client) {
      const sql = `SELECT ${resultColumns} FROM task_results WHERE task_id = $1 AND client = $2`;
      const r = (await pool.query(sql, [taskId, client])).rows[0] as Record<string, unknown> | undefined;
      return r ? toResult(r) : undefined;
    },
    async finish(taskId, client, result, exitCode, at) {
      const sql = 'UPDATE task_results SET result = $1, exit_code = $2, finished_at = $3 WHERE task_id = $4 AND client = $5';
      return ((await pool.query(sql, [result, exitCode, at, taskId, client])).rowCount ?? 0) > 0;
    },
    async deleteResultsBefore(time) {
      return (await pool.query('DELETE FROM task_results WHERE created_at < $1', [time])).rowCount ?? 0;
    },
    async deleteResultsOf(client) {
      return (await pool.query('DELETE FROM task_results WHERE client = $1', [client])).rowCount ?? 0;
    },
  };
}
