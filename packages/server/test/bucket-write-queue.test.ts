import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BucketWriteQueue, congestedYieldMs, rowsPerChunk } from '../src/util/bucket-write-queue.ts';

interface Row {
  group: string;
  width: number;
  start: number;
  v: number;
}

function filled(n: number): BucketWriteQueue<Row> {
  const q = new BucketWriteQueue<Row>(100_000, (r) => r.group);
  for (let i = 0; i < n; i++) q.add({ group: `g${i}`, width: 60, start: 0, v: i });
  return q;
}

describe('history flushes in chunks', () => {
  it('writes a large flush in transactions of rowsPerChunk, letting the event loop run between them once a slice has passed', async () => {
    const q = filled(rowsPerChunk * 2 + 100);
    const chunks: number[] = [];
    const events: string[] = [];
    setImmediate(() => events.push('loop ran'));
    let clock = 0;
    await q.flush(
      (r) => ({ ...r }),
      async (rows) => {
        chunks.push(rows.length);
        events.push(`write ${rows.length}`);
        clock += 10; // each chunk takes a whole slice
      },
      { sliceMs: 10, now: () => clock },
    );
    assert.deepEqual(chunks, [rowsPerChunk, rowsPerChunk, 100]);
    assert.equal(events[0], `write ${rowsPerChunk}`);
    assert.equal(events[1], 'loop ran', 'the event loop ran before the second chunk');
    assert.equal(q.size, 0);
  });

  it('writes chunks back to back within a slice: under overload a yield waits a whole poll phase', async () => {
    const q = filled(rowsPerChunk * 4);
    const events: string[] = [];
    setImmediate(() => events.push('loop ran'));
    let clock = 0;
    await q.flush(
      (r) => ({ ...r }),
      async (rows) => {
        events.push(`write ${rows.length}`);
        clock += 4; // a slice of 10 holds three chunks
      },
      { sliceMs: 10, now: () => clock },
    );
    assert.deepEqual(events, [`write ${rowsPerChunk}`, `write ${rowsPerChunk}`, `write ${rowsPerChunk}`, 'loop ran', `write ${rowsPerChunk}`]);
  });

  it('once a yield waited past congestedYieldMs, the rest of the flush is written without yielding', async () => {
    const q = filled(rowsPerChunk * 4);
    const events: string[] = [];
    let clock = 0;
    // the loop is congested: the first yield takes 500 ms
    setImmediate(() => {
      events.push('loop ran');
      clock += congestedYieldMs * 5;
      setImmediate(() => events.push('loop ran again'));
    });
    await q.flush(
      (r) => ({ ...r }),
      async (rows) => {
        events.push(`write ${rows.length}`);
        clock += 10;
      },
      { sliceMs: 10, now: () => clock },
    );
    assert.deepEqual(events, [`write ${rowsPerChunk}`, 'loop ran', `write ${rowsPerChunk}`, `write ${rowsPerChunk}`, `write ${rowsPerChunk}`]);
  });

  it('reads during a flush still see buckets not yet written, and newer folds win', async () => {
    const q = filled(rowsPerChunk + 10);
    const last = `g${rowsPerChunk + 5}`;
    let seenDuring: Row[] = [];
    await q.flush(
      (r) => ({ ...r }),
      async (rows) => {
        if (rows.length === rowsPerChunk) {
          seenDuring = q.of(last, 60);
          q.add({ group: 'g1', width: 60, start: 0, v: -1 }); // a fold during the flush
        }
      },
    );
    assert.equal(seenDuring.length, 1);
    assert.equal(seenDuring[0]!.v, rowsPerChunk + 5);
    assert.equal(q.of(last, 60).length, 0, 'written buckets leave memory when the flush ends');
    assert.deepEqual(q.of('g1', 60).map((r) => r.v), [-1], 'the newer state stays queued');
  });

  it('a failed chunk and the chunks after it are queued again; earlier chunks stay written', async () => {
    const q = filled(rowsPerChunk * 3);
    let calls = 0;
    await assert.rejects(
      q.flush(
        (r) => ({ ...r }),
        async () => {
          if (++calls === 2) throw new Error('disk full');
        },
      ),
      /disk full/,
    );
    assert.equal(q.size, rowsPerChunk * 2);
    assert.equal(q.of('g0', 60).length, 0);
    assert.equal(q.of(`g${rowsPerChunk}`, 60).length, 1);
  });
});

describe('the buffer bound (issue 16)', () => {
  it('past its capacity the bucket changed longest ago goes, counted once; a bucket changed again moves to the back', () => {
    const q = new BucketWriteQueue<Row>(3, (r) => r.group);
    for (const group of ['a', 'b', 'c']) q.add({ group, width: 60, start: 0, v: 1 });
    q.add({ group: 'a', width: 60, start: 0, v: 2 }); // a changed: b is now the oldest
    q.add({ group: 'd', width: 60, start: 0, v: 1 });
    q.add({ group: 'e', width: 60, start: 0, v: 1 });
    assert.equal(q.size, 3);
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((g) => q.of(g, 60).length), [1, 0, 0, 1, 1]);
    assert.equal(q.takeDropped(), 2);
    assert.equal(q.takeDropped(), 0, 'counted once');
  });

  it('a write that does not answer within stallMs fails the flush; everything stays queued, the oldest still first', async () => {
    const q = filled(3);
    const never = new Promise<never>(() => undefined);
    await assert.rejects(q.flush((r) => ({ ...r }), () => never, { stallMs: 20 }), /did not answer within 20 ms/);
    assert.equal(q.size, 3);
    const order: string[] = [];
    await q.flush(
      (r) => ({ ...r }),
      async (rows) => void order.push(...rows.map((r) => r.group)),
    );
    assert.deepEqual(order, ['g0', 'g1', 'g2']);
    assert.equal(q.size, 0);
  });
});
