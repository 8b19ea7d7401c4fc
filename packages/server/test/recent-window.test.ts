import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSchema } from '@komari-ts/protocol';
import { defaultServerLimits } from '../src/config/limits.ts';
import { RecentWindow } from '../src/realtime/recent-window.ts';
import { reportWire, stamp } from '../src/realtime/stamped-report.ts';
import { sampleReport } from './helpers/agent-common.ts';

function report(i: number, over: Record<string, unknown> = {}) {
  return reportSchema.parse(sampleReport({ cpu: { usage: i / 3 }, uptime: 1000 + i, network: { up: i, down: 2 * i, totalUp: 2 ** 40 + i, totalDown: 2 ** 45 }, ...over }));
}

describe('the recent window packed as numbers', () => {
  it('gives back every report as it came, in order, past its first capacity', () => {
    const w = new RecentWindow({ maxReportsPerNode: 1000, maxBytesPerNode: 1024 * 1024 });
    const sent = Array.from({ length: 200 }, (_, i) => stamp('n1', report(i), 1_000_000 + i * 1000));
    for (const s of sent) w.push(s);
    const back = w.reports('n1');
    assert.equal(back.length, 200);
    for (let i = 0; i < 200; i++) {
      assert.equal(back[i]!.at, sent[i]!.at);
      assert.deepEqual(back[i]!.report, sent[i]!.report);
      // the same bytes on the wire, key order included
      assert.equal(JSON.stringify(reportWire(back[i]!, { withUuid: true })), JSON.stringify(reportWire(sent[i]!, { withUuid: true })));
    }
  });

  it('keeps text, cpu details and GPU figures of the reports that carry them', () => {
    const w = new RecentWindow(defaultServerLimits.recent);
    const rich = report(1, {
      cpu: { usage: 12.5, name: 'EPYC', cores: 8, arch: 'amd64' },
      message: 'disk almost full',
      gpu: { count: 1, average_usage: 40, detailed_info: [] },
    });
    w.push(stamp('n1', report(0), 1));
    w.push(stamp('n1', rich, 2));
    const [plain, back] = w.reports('n1');
    assert.deepEqual(plain!.report, report(0));
    assert.deepEqual(back!.report, rich);
    assert.equal(JSON.stringify(reportWire(back!, { withUuid: false })), JSON.stringify(reportWire(stamp('n1', rich, 2), { withUuid: false })));
  });

  it("keeps a message in its report's record, and a repeated one as a reference to the one before", () => {
    const w = new RecentWindow(defaultServerLimits.recent);
    const probe = report(3, { message: 'k17:1796659095558' });
    w.push(stamp('n1', probe, 5));
    const first = w.bytes;
    // fewer bytes than the 19 doubles alone, the message's 17 UTF-8 bytes included
    assert.ok(first < 19 * 8, `${first} bytes`);
    w.push(stamp('n1', report(4, { message: probe.message }), 1005));
    assert.ok(w.bytes - first < first - probe.message.length, `the repeat took ${w.bytes - first} bytes`);
    const [back, again] = w.reports('n1');
    assert.deepEqual(back!.report, probe);
    assert.equal(again!.report.message, probe.message);
    assert.equal(JSON.stringify(reportWire(back!, { withUuid: true, cpuZeroAs: 0.01 })), JSON.stringify(reportWire(stamp('n1', probe, 5), { withUuid: true, cpuZeroAs: 0.01 })));
  });

  it('drops what is older than the window, and wraps around without losing order', () => {
    const w = new RecentWindow(defaultServerLimits.recent);
    for (let i = 0; i < 100; i++) {
      w.push(stamp('n1', report(i), i * 1000));
      w.trim(i * 1000 - 60_000);
    }
    assert.equal(w.size, 61);
    const back = w.reports('n1');
    assert.deepEqual(back.map((s) => s.at), Array.from({ length: 61 }, (_, k) => (39 + k) * 1000));
    assert.deepEqual(back.map((s) => s.report.uptime), Array.from({ length: 61 }, (_, k) => 1039 + k));
  });
});

describe('the recent window bounded per node', () => {
  const limits = { maxReportsPerNode: 10, maxBytesPerNode: 16 * 1024 };

  it('keeps at most maxReportsPerNode reports, the newest, when reports come faster than the window', () => {
    const w = new RecentWindow(limits);
    for (let i = 0; i < 1000; i++) w.push(stamp('n1', report(i), i));
    assert.equal(w.size, 10);
    assert.deepEqual(w.reports('n1').map((s) => s.at), Array.from({ length: 10 }, (_, k) => 990 + k));
  });

  it('keeps its bytes under maxBytesPerNode whatever texts come, dropping the oldest first', () => {
    const w = new RecentWindow(limits);
    const text = (i: number) => `${i}:`.padEnd(4000, i % 2 ? 'é' : '日');
    for (let i = 0; i < 200; i++) {
      w.push(stamp('n1', report(i, { message: text(i), cpu: { usage: 1, name: text(i), arch: 'amd64' } }), i));
      assert.ok(w.bytes <= limits.maxBytesPerNode, `${w.bytes} bytes after report ${i}`);
    }
    const back = w.reports('n1');
    assert.ok(back.length >= 1 && back.length < 10, `${back.length} reports`);
    assert.equal(back.at(-1)!.report.message, text(199));
    assert.deepEqual(back.map((s) => s.at), Array.from({ length: back.length }, (_, k) => 200 - back.length + k));
  });

  it('keeps the numbers of a report whose texts alone exceed the budget', () => {
    const w = new RecentWindow({ maxReportsPerNode: 10, maxBytesPerNode: 1024 });
    w.push(stamp('n1', report(1), 1));
    w.push(stamp('n1', report(2, { message: 'x'.repeat(4096) }), 2));
    const back = w.reports('n1');
    assert.deepEqual(back.map((s) => s.report.uptime), [1001, 1002]);
    assert.equal(back[1]!.report.message, '');
    assert.ok(w.bytes <= 1024);
  });
});
