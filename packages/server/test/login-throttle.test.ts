import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureLimiter } from '../src/auth/login-throttle.ts';
import { ManualClock } from './helpers/clock.ts';

const rule = { maxFailures: 2, windowMs: 60_000 };

describe('FailureLimiter keeps its locks when full', () => {
  it('a new key evicts the oldest unlocked key, never a locked one', () => {
    const clock = new ManualClock();
    const limiter = new FailureLimiter(rule, clock, 2);
    limiter.fail('locked');
    limiter.fail('locked');
    limiter.fail('open');
    assert.equal(limiter.fail('newcomer'), true);
    assert.ok(limiter.retryAfterMs('locked') > 0);
    limiter.fail('newcomer');
    assert.ok(limiter.retryAfterMs('newcomer') > 0, 'the newcomer took the unlocked key’s place');
  });

  it('when every tracked key is locked a new key is not tracked, until a lock runs out', () => {
    const clock = new ManualClock();
    const limiter = new FailureLimiter(rule, clock, 2);
    for (const key of ['a', 'a', 'b', 'b']) limiter.fail(key);
    assert.equal(limiter.fail('c'), false);
    assert.equal(limiter.retryAfterMs('c'), 0);
    assert.ok(limiter.retryAfterMs('a') > 0 && limiter.retryAfterMs('b') > 0);
    clock.advance(rule.windowMs);
    assert.equal(limiter.fail('c'), true);
  });

  it('resetAll forgets every key (komari unlock)', () => {
    const limiter = new FailureLimiter(rule, new ManualClock(), 10);
    for (const key of ['a', 'a', 'b', 'b']) limiter.fail(key);
    limiter.resetAll();
    assert.equal(limiter.retryAfterMs('a') + limiter.retryAfterMs('b'), 0);
  });
});
