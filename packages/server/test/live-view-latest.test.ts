import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSchema } from '@komari-ts/protocol';
import { defaultServerLimits } from '../src/config/limits.ts';
import { LiveView } from '../src/realtime/live-view.ts';
import { stamp, type StampedReport } from '../src/realtime/stamped-report.ts';
import { sampleReport } from './helpers/agent-common.ts';

const report = (over: Record<string, unknown> = {}) => reportSchema.parse(sampleReport(over));
const rich = (i: number) => report({ cpu: { usage: 12.5 + i, name: 'EPYC', cores: 8, arch: 'amd64' }, message: `disk ${i}`, gpu: { count: 1, average_usage: 40, detailed_info: [{ name: 'A100', memory_total: 1, memory_used: 0, utilization: 40, temperature: 50 }] }, uptime: 100 + i });

function view(limits: Partial<typeof defaultServerLimits.recent> = {}) {
  const clock = { t: 1_000_000, now: () => clock.t };
  return { clock, live: new LiveView(clock, { ...defaultServerLimits.recent, ...limits }) };
}

/** the same report, the same receive time, the same `/api/clients` member */
function assertSame(got: StampedReport | undefined, want: StampedReport): void {
  assert.ok(got);
  assert.equal(got.at, want.at);
  assert.deepEqual(got.report, want.report);
  assert.equal(got.feedEntry, stamp(want.uuid, want.report, want.at).feedEntry);
}

describe('the live view keeps the latest report through the recent window', () => {
  it('gives back the latest report whole, text, cpu details and GPU included, and its feed member', () => {
    const { clock, live } = view();
    for (let i = 0; i < 3; i++) {
      clock.t += 1000;
      live.record(stamp('n1', rich(i), clock.t));
    }
    const want = stamp('n1', rich(2), clock.t);
    assertSame(live.latest('n1'), want);
    assert.equal(live.latestAt('n1'), clock.t);
    assert.equal(live.latestFeedEntry('n1'), want.feedEntry);
    assert.deepEqual([...live.latestUuids()], ['n1']);
    assertSame([...live.latestAll()][0], want);
  });

  it('keeps the latest report after the window has dropped every report of the node', () => {
    const { clock, live } = view();
    const s = stamp('n1', rich(7), clock.t);
    live.record(s);
    clock.t += 10 * 60_000;
    assert.deepEqual(live.recent('n1'), []);
    assertSame(live.latest('n1'), s);
  });

  it('a report the window can only keep as its numbers is still the latest, whole', () => {
    const { clock, live } = view({ maxBytesPerNode: 256 });
    const big = stamp('n1', report({ message: 'x'.repeat(1000), uptime: 5 }), clock.t);
    live.record(big);
    assert.equal(live.recent('n1')[0]!.report.message, '');
    assertSame(live.latest('n1'), big);
    clock.t += 1000;
    const next = stamp('n1', report({ uptime: 6 }), clock.t);
    live.record(next);
    assertSame(live.latest('n1'), next);
  });

  it('a report older than the latest joins the window and leaves the latest as it was', () => {
    const { clock, live } = view();
    const newer = stamp('n1', rich(2), clock.t + 5000);
    live.record(newer);
    live.record(stamp('n1', rich(1), clock.t + 1000));
    assertSame(live.latest('n1'), newer);
    assert.equal(live.latestFeedEntry('n1'), newer.feedEntry);
    assert.equal(live.recent('n1').length, 2);
  });

  it('the feed member is built again for the next report', () => {
    const { clock, live } = view();
    live.record(stamp('n1', report({ uptime: 1 }), clock.t));
    const first = live.latestFeedEntry('n1');
    live.record(stamp('n1', report({ uptime: 2 }), clock.t + 1000));
    assert.notEqual(live.latestFeedEntry('n1'), first);
    assert.match(live.latestFeedEntry('n1')!, /"uptime":2/);
  });
});
