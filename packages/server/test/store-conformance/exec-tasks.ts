import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ExecResult, ExecTask, ExecTaskStore } from '../../src/store/types.ts';
import type { OpenedEngine } from './engines.ts';

function task(taskId: string, clients: string[], createdAt = 1000): ExecTask {
  return { taskId, clients, command: `echo ${taskId}`, createdAt };
}

function pending(taskId: string, client: string, createdAt = 1000): ExecResult {
  return { taskId, client, result: '', exitCode: null, finishedAt: null, createdAt };
}

/** ExecTaskStore: tasks with one result row per addressed client, filled as clients report. */
export function execTasksSuite(open: () => Promise<OpenedEngine>): void {
  async function withTasks(fn: (t: ExecTaskStore) => Promise<void>): Promise<void> {
    const e = await open();
    try {
      await fn(e.repos.execTasks!);
    } finally {
      await e.close();
    }
  }

  it('an empty store has no tasks and no results; unknown ids read as undefined', () =>
    withTasks(async (t) => {
      assert.deepEqual(await t.list(), []);
      assert.deepEqual(await t.results(), []);
      assert.equal(await t.get('nope'), undefined);
      assert.equal(await t.result('nope', 'a'), undefined);
      assert.deepEqual(await t.results('nope'), []);
      assert.deepEqual(await t.byClient('a'), []);
    }));

  it('create stores the task and its pending results, read back as given', () =>
    withTasks(async (t) => {
      const big = 2 ** 52 + 1;
      await t.create(task('t1', ['a', 'b'], big), [pending('t1', 'a', big), pending('t1', 'b', big)]);
      assert.deepEqual(await t.get('t1'), task('t1', ['a', 'b'], big));
      assert.deepEqual(await t.results('t1'), [pending('t1', 'a', big), pending('t1', 'b', big)]);
      assert.deepEqual(await t.result('t1', 'b'), pending('t1', 'b', big));
    }));

  it('list and results keep creation order, not id or time order', () =>
    withTasks(async (t) => {
      await t.create(task('z', ['c', 'a'], 3), [pending('z', 'c', 3), pending('z', 'a', 3)]);
      await t.create(task('a', ['b'], 1), [pending('a', 'b', 1)]);
      await t.create(task('m', [], 2), []);
      assert.deepEqual((await t.list()).map((x) => x.taskId), ['z', 'a', 'm']);
      assert.deepEqual((await t.results()).map((r) => `${r.taskId}/${r.client}`), ['z/c', 'z/a', 'a/b']);
    }));

  it('a task id used twice is refused and the first task and its results stay whole', () =>
    withTasks(async (t) => {
      await t.create(task('t1', ['a']), [pending('t1', 'a')]);
      await assert.rejects(t.create(task('t1', ['b'], 5), [pending('t1', 'b', 5)]));
      assert.deepEqual(await t.get('t1'), task('t1', ['a']));
      assert.deepEqual(await t.results(), [pending('t1', 'a')]);
    }));

  it('create is one transaction: a duplicate result row leaves no task behind', () =>
    withTasks(async (t) => {
      await assert.rejects(t.create(task('t1', ['a']), [pending('t1', 'a'), pending('t1', 'a')]));
      assert.equal(await t.get('t1'), undefined);
      assert.deepEqual(await t.results(), []);
    }));

  it('byClient matches whole uuids in the client list, never parts of one', () =>
    withTasks(async (t) => {
      await t.create(task('t1', ['abc', 'd"e']), []);
      await t.create(task('t2', ['ab']), []);
      await t.create(task('t3', ['x', 'abc']), []);
      assert.deepEqual((await t.byClient('abc')).map((x) => x.taskId), ['t1', 't3']);
      assert.deepEqual((await t.byClient('ab')).map((x) => x.taskId), ['t2']);
      assert.deepEqual((await t.byClient('d"e')).map((x) => x.taskId), ['t1']);
      assert.deepEqual(await t.byClient('a'), []);
      assert.deepEqual(await t.byClient('%'), []);
    }));

  it('finish fills the row of that client only', () =>
    withTasks(async (t) => {
      await t.create(task('t1', ['a', 'b']), [pending('t1', 'a'), pending('t1', 'b')]);
      assert.equal(await t.finish('t1', 'a', 'hello\n服务器 ✓', -1, 2000), true);
      assert.deepEqual(await t.result('t1', 'a'), { ...pending('t1', 'a'), result: 'hello\n服务器 ✓', exitCode: -1, finishedAt: 2000 });
      assert.deepEqual(await t.result('t1', 'b'), pending('t1', 'b'));
    }));

  it('a result for a node the task was not sent to, or for an unknown task, is refused and writes nothing', () =>
    withTasks(async (t) => {
      await t.create(task('t1', ['a']), [pending('t1', 'a')]);
      await t.create(task('t2', ['b']), [pending('t2', 'b')]);
      assert.equal(await t.finish('t1', 'b', 'forged', 0, 2000), false);
      assert.equal(await t.finish('nope', 'a', 'forged', 0, 2000), false);
      assert.equal(await t.result('t1', 'b'), undefined);
      assert.deepEqual(await t.results(), [pending('t1', 'a'), pending('t2', 'b')]);
    }));

  it('deleteResultsBefore deletes older result rows only and keeps every task', () =>
    withTasks(async (t) => {
      await t.create(task('old', ['a', 'b'], 100), [pending('old', 'a', 100), pending('old', 'b', 100)]);
      await t.create(task('edge', ['a'], 200), [pending('edge', 'a', 200)]);
      await t.create(task('new', ['a'], 300), [pending('new', 'a', 300)]);
      assert.equal(await t.deleteResultsBefore(200), 2);
      assert.deepEqual((await t.results()).map((r) => r.taskId), ['edge', 'new']);
      assert.deepEqual((await t.list()).map((x) => x.taskId), ['old', 'edge', 'new']);
      assert.equal(await t.deleteResultsBefore(200), 0);
    }));

  it("deleteResultsOf deletes one node's rows and leaves the others", () =>
    withTasks(async (t) => {
      await t.create(task('t1', ['a', 'b']), [pending('t1', 'a'), pending('t1', 'b')]);
      await t.create(task('t2', ['a']), [pending('t2', 'a')]);
      assert.equal(await t.deleteResultsOf('a'), 2);
      assert.deepEqual(await t.results(), [pending('t1', 'b')]);
      assert.equal(await t.deleteResultsOf('unknown'), 0);
      assert.equal(await t.finish('t1', 'a', 'late', 0, 1), false);
    }));
}
