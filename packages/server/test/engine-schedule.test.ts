import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { EngineSchedule } from '../src/util/engine-schedule.ts';
import { LogCapture } from './helpers/log-capture.ts';

/** Lets the promise chains a timer started run to their end (setImmediate is not mocked). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the history flush schedule (issue 16)', () => {
  it('a failing flush is retried after flushEveryMs, then twice as long each time up to retryMaxDelayMs, and every flushEveryMs once it works', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
    const log = new LogCapture();
    const fastify = Fastify({ logger: { stream: log } });
    const schedule = new EngineSchedule('history', fastify.log, { flushEveryMs: 100, pruneEveryMs: 1e9, retryMaxDelayMs: 400, stopStallMs: 100 });
    let now = 0;
    let failing = true;
    const tries: number[] = [];
    const flush = () =>
      schedule.flush(async () => {
        tries.push(now);
        if (failing) throw new Error('database is unavailable');
      });
    await schedule.start(flush, async () => 0);
    for (; now < 2000; ) {
      now += 50;
      t.mock.timers.tick(50);
      await settle();
      if (now === 1500) failing = false;
    }
    assert.deepEqual(tries, [0, 200, 600, 1000, 1400, 1800, 1900, 2000]);
    assert.equal(log.matching('history flush failed').length, 1);
    assert.equal(log.matching('history flush works again').length, 1);
    await schedule.stop(async () => undefined, () => 0);
    await fastify.close();
  });

  it('a stop gives up waiting on a flush stuck in the database after stopStallMs, and says how many buckets it could not write', async () => {
    const log = new LogCapture();
    const fastify = Fastify({ logger: { stream: log } });
    const schedule = new EngineSchedule('ping history', fastify.log, { flushEveryMs: 1e9, pruneEveryMs: 1e9, retryMaxDelayMs: 1e9, stopStallMs: 30 });
    void schedule.flush(() => new Promise<void>(() => undefined)).catch(() => undefined); // never answers
    await assert.rejects(
      schedule.stop(async () => Promise.reject(new Error('database is unavailable')), () => 7),
      /ping history: 7 buckets not written/,
    );
    const [line] = log.matching('ping history: 7 buckets could not be written before the stop and are lost');
    assert.equal(line?.unwritten, 7);
    await fastify.close();
  });
});
