import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSchema } from '@komari-ts/protocol';
import { RecentWindow } from '../src/realtime/recent-window.ts';
import { reportWire, stamp } from '../src/realtime/stamped-report.ts';
import { sampleReport } from './helpers/agent-common.ts';

function report(i: number, over: Record<string, unknown> = {}) {
  return reportSchema.parse(sampleReport({ cpu: { usage: i / 3 }, uptime: 1000 + i, network: { up: i, down: 2 * i, totalUp: 2 ** 40 + i, totalDown: 2 ** 45 }, ...over }));
}

describe('the recent window packed as numbers', () => {
  it('gives back every report as it came, in order, past its first capacity', () => {
    const w = new RecentWindow();
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
    const w = new RecentWindow();
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

  it('drops what is older than the window, and wraps around without losing order', () => {
    const w = new RecentWindow();
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
