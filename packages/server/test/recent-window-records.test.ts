import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { reportSchema, type Report } from '@komari-ts/protocol';
import { defaultServerLimits } from '../src/config/limits.ts';
import { RecentWindow } from '../src/realtime/recent-window.ts';
import { reportWire, stamp, type StampedReport } from '../src/realtime/stamped-report.ts';
import { sampleReport } from './helpers/agent-common.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const wire = (s: StampedReport) => JSON.stringify(reportWire(s, { withUuid: true }));

/** Pushes every report, then checks each comes back bit for bit and as the same `/api/recent` entry. */
function roundTrip(sent: StampedReport[], limits = { maxReportsPerNode: 1000, maxBytesPerNode: 1024 * 1024 }): RecentWindow {
  const w = new RecentWindow(limits);
  for (const s of sent) w.push(s);
  const back = w.reports(sent[0]!.uuid);
  const kept = sent.slice(sent.length - back.length);
  for (let i = 0; i < back.length; i++) {
    assert.equal(back[i]!.at, kept[i]!.at);
    assert.deepEqual(back[i]!.report, kept[i]!.report, `report ${i}`);
    assert.equal(wire(back[i]!), wire(kept[i]!));
  }
  return w;
}

function capturedReports(): Report[] {
  const out: Report[] = [];
  for (const file of ['official-agent-v2.jsonl', 'official-agent-v1.jsonl', 'c-agent-v2.jsonl']) {
    const text = readFileSync(new URL(`./fixtures/captures/${file}`, import.meta.url), 'utf8');
    for (const line of text.split('\n').filter(Boolean)) {
      const l = JSON.parse(line) as any;
      const r = l.frame?.method === 'agent.report' ? l.frame.params.report : l.url?.startsWith('/api/clients/report') && l.frame?.cpu ? l.frame : undefined;
      if (r) out.push(reportSchema.parse(r));
    }
  }
  return out;
}

/** A minute of one host at 1 s, moving as the official agent reports it: CPU as any double, loads in hundredths, counters growing. */
function hostMinute(): StampedReport[] {
  let [ram, totalUp, totalDown, disk] = [131346432, 1809183, 504747105, 27765977088];
  return Array.from({ length: 60 }, (_, i) => {
    ram += ((i * 7919) % 13) * 4096 - 24576;
    const [up, down] = [(i * 104729) % 90000, (i * 15485863) % 700000];
    [totalUp, totalDown, disk] = [totalUp + up, totalDown + down, disk + (i % 5 === 0 ? 12288 : 0)];
    const r = reportSchema.parse(sampleReport({
      cpu: { usage: 100 / (3 + (i % 17)) },
      ram: { total: 25276063744, used: ram },
      load: { load1: ((i * 37) % 400) / 100, load5: 0.27 + (i % 3) / 100, load15: 0.39 },
      disk: { total: 270553174016, used: disk },
      network: { up, down, totalUp, totalDown },
      connections: { tcp: 6 + (i % 4), udp: i % 2 },
      uptime: 1728 + i,
      process: 74 + (i % 3),
    }));
    return stamp('n1', r, 1_796_659_095_558 + i * 1000 + (i % 7));
  });
}

describe('the recent window stored as records', () => {
  it("gives back the captured agents' reports exactly", () => {
    const reports = capturedReports();
    assert.ok(reports.length >= 10, `${reports.length} captured reports`);
    roundTrip(reports.map((r, i) => stamp('n1', r, 1_000_000 + i * 1000)));
  });

  it('keeps a minute of an official agent at 1 s in under 64 bytes a report (19 doubles: 152)', () => {
    const w = roundTrip(hostMinute());
    assert.equal(w.size, 60);
    assert.ok(w.bytes / 60 < 64, `${(w.bytes / 60).toFixed(1)} bytes a report`);
  });

  it('gives back awkward numbers in every field bit for bit: -0, fractions, extremes, jumps past 32 bits', () => {
    const awkward = [0, -0, 0.1 + 0.2, 1 / 3, 0.24, 12.5, 327.67, 327.68, 21474836.47, 21474836.48, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, 1e300, 5e-324, Number.MAX_VALUE, 1e-7, 2 ** 40 + 0.5, 127, -128, 128, 32767, -32769, 0];
    const base = reportSchema.parse(sampleReport());
    const sent: StampedReport[] = [];
    for (let field = 0; field < 18; field++) {
      for (const [k, x] of awkward.entries()) {
        const r: Report = structuredClone(base);
        const slots: Array<[any, string]> = [[r.cpu, 'usage'], [r.ram, 'total'], [r.ram, 'used'], [r.swap, 'total'], [r.swap, 'used'], [r.load, 'load1'], [r.load, 'load5'], [r.load, 'load15'], [r.disk, 'total'], [r.disk, 'used'], [r.network, 'up'], [r.network, 'down'], [r.network, 'totalUp'], [r.network, 'totalDown'], [r.connections, 'tcp'], [r.connections, 'udp'], [r, 'uptime'], [r, 'process']];
        const [obj, key] = slots[field]!;
        obj[key] = x;
        sent.push(stamp('n1', r, field * 1e6 + k * (k % 2 ? 1 : 70_000)));
      }
    }
    roundTrip(sent);
  });

  it('gives back messages as they came: repeated, changed, emptied, multi-byte, and with a lone surrogate', () => {
    const messages = ['disk almost full', 'disk almost full', '', 'é日本🙂', 'é日本🙂', 'cut \ud83d', 'cut \ud83d', 'x'.repeat(3000), 'ok'];
    roundTrip(messages.map((message, i) => stamp('n1', reportSchema.parse(sampleReport({ message, uptime: i })), i)));
  });

  it('keeps a repeated message and the extras in place when the reports before them are dropped', () => {
    const limits = { maxReportsPerNode: 3, maxBytesPerNode: defaultServerLimits.recent.maxBytesPerNode };
    const sent = Array.from({ length: 12 }, (_, i) => {
      const rich = i % 3 === 1 ? { cpu: { usage: i, name: `EPYC ${i}`, cores: 8 }, method: 'm' } : { cpu: { usage: i } };
      return stamp('n1', reportSchema.parse(sampleReport({ ...rich, message: i < 6 ? 'same' : `m${i >> 1}`, uptime: i })), i * 1000);
    });
    const w = new RecentWindow(limits);
    for (const [i, s] of sent.entries()) {
      w.push(s);
      const back = w.reports('n1');
      assert.deepEqual(back.map((b) => b.report), sent.slice(Math.max(0, i - 2), i + 1).map((b) => b.report), `after report ${i}`);
    }
  });

  it('holds the same bytes after an hour of reports as after a minute (the buffer is reused, not grown)', () => {
    const w = new RecentWindow(defaultServerLimits.recent);
    const minute = hostMinute();
    const bytesAfter: number[] = [];
    for (let m = 0; m < 60; m++) {
      for (const s of minute) {
        w.push(stamp('n1', s.report, s.at + m * 60_000));
        w.trim(s.at + m * 60_000 - 60_000);
      }
      bytesAfter.push(w.bytes);
    }
    assert.equal(bytesAfter.at(-1), bytesAfter[1]);
    assert.equal(w.size, 61);
  });
});
