import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Jobs } from '../../src/scheduler/jobs.ts';
import { eventually } from '../helpers/agent-common.ts';

describe('leader-only jobs (issue 16 §2: work that must run once runs on the leader)', () => {
  it('a replica that does not lead runs its other jobs but never a leader-only one; once it leads, it does', async () => {
    let leader = false;
    const jobs = new Jobs(Fastify({ logger: false }).log, () => leader);
    let everywhere = 0;
    let once = 0;
    jobs.add({ name: 'everywhere', everyMs: 5, run: () => void everywhere++ }, { name: 'once', everyMs: 5, run: () => void once++, leaderOnly: true });
    jobs.start();
    try {
      await eventually(() => everywhere >= 10);
      assert.equal(once, 0, 'ten ticks of the same period passed without the leader-only job');
      leader = true;
      await eventually(() => once >= 1);
    } finally {
      await jobs.stop();
    }
  });
});
