import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RpcCode } from '@komari-ts/protocol';
import { AppError } from '../src/errors.ts';
import { newRequestId, PendingCalls } from '../src/agents/pending-calls.ts';

test('request ids are 32 lowercase hex characters', () => {
  assert.match(newRequestId(), /^[0-9a-f]{32}$/);
});

test('an answer settles only the call of the client it was made to', async () => {
  const calls = new PendingCalls<string>({ maxPending: 4 });
  const { id, result } = calls.open('node-a', 10_000, 'timed out');
  assert.equal(calls.settle('node-b', id, 'from b'), false, "another client's answer is unknown");
  assert.equal(calls.settle('node-a', 'f'.repeat(32), 'x'), false, 'an unknown id is unknown');
  assert.equal(calls.settle('node-a', id, 'from a'), true);
  assert.equal(await result, 'from a');
  assert.equal(calls.settle('node-a', id, 'again'), false, 'a settled call is gone');
  assert.equal(calls.size, 0);
});

test('a call times out with -32011 and the given message, and is forgotten', async () => {
  const calls = new PendingCalls<string>({ maxPending: 4 });
  const { id, result } = calls.open('node-a', 5, 'file operation timed out');
  await assert.rejects(result, (err: unknown) => err instanceof AppError && err.code === RpcCode.DeadlineExceeded && err.message === 'file operation timed out');
  assert.equal(calls.settle('node-a', id, 'late'), false);
});

test('an aborted caller cancels the call with -32010', async () => {
  const calls = new PendingCalls<string>({ maxPending: 4 });
  const ac = new AbortController();
  const { result } = calls.open('node-a', 10_000, 'timed out', ac.signal);
  ac.abort();
  await assert.rejects(result, (err: unknown) => err instanceof AppError && err.code === RpcCode.Cancelled);
  assert.equal(calls.size, 0);
});

test('past maxPending a new call is refused and nothing is registered', async () => {
  const calls = new PendingCalls<string>({ maxPending: 2 });
  const a = calls.open('n', 10_000, 't');
  const b = calls.open('n', 10_000, 't');
  assert.throws(() => calls.open('n', 10_000, 't'), (err: unknown) => err instanceof AppError && err.code === RpcCode.Unavailable);
  assert.equal(calls.size, 2);
  calls.failAll('n', AppError.notFound('client not found'));
  await assert.rejects(a.result, /client not found/);
  await assert.rejects(b.result, /client not found/);
  assert.equal(calls.size, 0);
});
