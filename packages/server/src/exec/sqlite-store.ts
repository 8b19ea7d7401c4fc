import type { DatabaseSync } from 'node:sqlite';
import { inTransaction } from '../store/sqlite/transaction.ts';
import type { ExecTaskStore } from '../store/types.ts';
import { toResult, toTask } from './store-rows.ts';


/** Remote exec tasks and their per-client results in the tables `tasks` and `task_results`. */
export function sqliteExecTasks(db: DatabaseSync): ExecTaskStore {
  const insertTask = db.prepare('INSERT INTO tasks (task_id, clients, command, created_at) VALUES (?, ?, ?, ?)');
  const insertResult = db.prepare(
    'INSERT INTO task_results (task_id, client, result, exit_code, finished_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const getTask = db.prepare('SELECT * FROM tasks WHERE task_id = ?');
  const getResult = db.prepare('SELECT * FROM task_results WHERE task_id = ? AND client = ?');
  return {
    async create(task, results) {
      inTransaction(db, () => {
        insertTask.run(task.taskId, JSON.stringify(task.clients), task.command, task.createdAt);
        for (const r of results) insertResult.run(r.taskId, r.client, r.result, r.exitCode, r.finishedAt, r.createdAt);
      });
    },
    async list() {
      return db.prepare('SELECT * FROM tasks ORDER BY seq').all().map(toTask);
    },
    async get(taskId) {
      const r = getTask.get(taskId);
      return r ? toTask(r) : undefined;
    },
    async byClient(uuid) {
      const sql = 'SELECT * FROM tasks t WHERE EXISTS (SELECT 1 FROM json_each(t.clients) WHERE value = ?) ORDER BY seq';
      return db.prepare(sql).all(uuid).map(toTask);
    },
    async results(taskId) {
      const rows =
        taskId === undefined
          ? db.prepare('SELECT * FROM task_results ORDER BY id').all()
          : db.prepare('SELECT * FROM task_results WHERE task_id = ? ORDER BY id').all(taskId);
      return rows.map(toResult);
    },
    async result(taskId, client) {
      const r = getResult.get(taskId, client);
      return r ? toResult(r) : undefined;
    },
    async finish(taskId, client, result, exitCode, at) {
      const sql = 'UPDATE task_results SET result = ?, exit_code = ?, finished_at = ? WHERE task_id = ? AND client = ?';
      return Number(db.prepare(sql).run(result, exitCode, at, taskId, client).changes) > 0;
    },
    async deleteResultsBefore(time) {
      return Number(db.prepare('DELETE FROM task_results WHERE created_at < ?').run(time).changes);
    },
    async deleteResultsOf(client) {
      return Number(db.prepare('DELETE FROM task_results WHERE client = ?').run(client).changes);
    },
  };
}
