import assert from 'node:assert/strict';
import { test } from 'node:test';
import { systemClock } from '../src/clock.ts';
import { FileError } from '../src/files/errors.ts';
import { defaultFileLimits } from '../src/files/limits.ts';
import { TransferTable } from '../src/files/transfers.ts';

test('at most maxTransfers are open; the next allocation waits for a slot, and its caller may give up', async () => {
  const table = new TransferTable({ ...defaultFileLimits, maxTransfers: 2, transferSlotWaitMs: 60_000 }, systemClock);
  const a = await table.allocate('n', 'download', 1);
  await table.allocate('n', 'upload', 1);
  let third: unknown;
  const waiting = table.allocate('n', 'download', 1).then((t) => (third = t));
  await new Promise((r) => setImmediate(r));
  assert.equal(third, undefined, 'no third slot while two are open');
  a.close();
  await waiting;
  assert.equal(table.size, 2);
  const ac = new AbortController();
  const gaveUp = table.allocate('n', 'download', 1, ac.signal);
  ac.abort();
  await assert.rejects(gaveUp, (err: unknown) => err instanceof FileError && err.kind === 'cancelled');
});

test('waiting allocations are bounded too', async () => {
  const table = new TransferTable({ ...defaultFileLimits, maxTransfers: 1, maxTransferWaiters: 1, transferSlotWaitMs: 60_000 }, systemClock);
  const open = await table.allocate('n', 'download', 1);
  const ac = new AbortController();
  const queued = table.allocate('n', 'download', 1, ac.signal);
  await assert.rejects(table.allocate('n', 'download', 1), (err: unknown) => err instanceof FileError && err.kind === 'busy');
  ac.abort();
  await assert.rejects(queued);
  open.close();
  assert.equal(table.size, 0);
});
