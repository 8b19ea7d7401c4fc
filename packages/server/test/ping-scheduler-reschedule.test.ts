import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PingScheduler } from '../src/ping/scheduler.ts';
import type { PingTaskRow } from '../src/store/types.ts';
import { eventually } from './helpers/agent-common.ts';

const task = (id: number, interval: number): PingTaskRow =>
  ({ id, name: `t${id}`, type: 'tcp', target: '127.0.0.1:1', interval, clients: ['n1'], weight: 0 }) as unknown as PingTaskRow;

describe('the ping schedule under a stream of changes (issue 16: replicas reschedule on every change made elsewhere)', () => {
  it('rescheduling every 200 ms keeps the timer of an interval: its pings still go out once a second', async () => {
    const sent: number[] = [];
    const scheduler = new PingScheduler((_uuid, cmd) => {
      sent.push(Number((cmd.v2.params as { ping_task_id: number }).ping_task_id));
      return 'sent';
    });
    scheduler.schedule([task(1, 1)]);
    const churn = setInterval(() => scheduler.schedule([task(1, 1), task(2, 1)]), 200);
    try {
      await eventually(() => sent.filter((id) => id === 1).length >= 2 && sent.includes(2), 4000);
      assert.equal(scheduler.timerCount, 1, 'one timer for the one interval');
    } finally {
      clearInterval(churn);
      scheduler.stop();
    }
  });

  it('an interval with no task left loses its timer; a new interval gets one', () => {
    const scheduler = new PingScheduler(() => 'sent');
    scheduler.schedule([task(1, 1), task(2, 5)]);
    assert.equal(scheduler.timerCount, 2);
    scheduler.schedule([task(2, 5), task(3, 7)]);
    assert.equal(scheduler.timerCount, 2);
    scheduler.schedule([]);
    assert.equal(scheduler.timerCount, 0);
    scheduler.stop();
  });
});
