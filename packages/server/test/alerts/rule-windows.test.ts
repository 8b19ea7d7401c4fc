import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ingestReport, parseReport } from '../../src/agents/ingest.ts';
import { addNode } from '../helpers/agent-common.ts';
import { ManualClock } from '../helpers/clock.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

// Rules due in the same tick share their reads (one per node for load rules, one per ping task
// for latency/loss rules); each must still judge its own window. Node "early" breaches in
// minutes 0-3 and not in minute 4; node "late" only in minute 4. A 1-minute rule sees minute 4
// alone, a 5-minute rule all five (Komari: ⌊n × ratio⌋ of the n buckets).

const minute = 60_000;
const t0 = Date.UTC(2026, 2, 2, 10, 0);
const ruleBase = { reminderMinutes: 0, notifyResolved: false, channels: null, quiet: null };

function report(cpu: number) {
  return {
    cpu: { usage: cpu },
    ram: { total: 8000, used: 1000 },
    swap: { total: 0, used: 0 },
    load: { load1: 1, load5: 1, load15: 1 },
    disk: { total: 50_000, used: 1000 },
    network: { up: 0, down: 0, totalUp: 0, totalDown: 0 },
    connections: { tcp: 1, udp: 0 },
    uptime: 100,
    process: 40,
  };
}

/** (rule id, node) of every load or ping incident opened so far. */
async function incidents(s: TestServer, kind: string): Promise<string[]> {
  const { items } = await s.ctx.store.alerts.records({ limit: 100, offset: 0 });
  return items.filter((r) => r.kind === kind).map((r) => `${r.ruleId}:${r.node}`).sort();
}

describe('rules due together judge each its own window', () => {
  const clock = new ManualClock(t0);
  let s: TestServer;
  let early: string;
  let late: string;
  let task: number;

  before(async () => {
    s = await startTestServer({ clock });
    const cookie = await s.login();
    early = (await addNode(s, cookie, 'early')).uuid;
    late = (await addNode(s, cookie, 'late')).uuid;
    task = await s.ctx.ping.add({ name: 'icmp', clients: [early, late], defaultOn: false, type: 'icmp', target: '192.0.2.1', interval: 10 });
    // a sample every 10 s from 5 s on: minutes 0-4 each get six, none lands on t0 + 5 min
    for (let at = t0 + 5000; at < t0 + 5 * minute; at += 10_000) {
      clock.set(at);
      const hot = (uuid: string) => (uuid === early ? at < t0 + 4 * minute : at >= t0 + 4 * minute);
      for (const uuid of [early, late]) {
        ingestReport(s.ctx, uuid, parseReport(report(hot(uuid) ? 95 : 10)), { presence: true });
        s.ctx.ping.record(task, uuid, hot(uuid) ? -1 : 20);
      }
    }
    clock.set(t0 + 5 * minute);
    await s.ctx.history.flush();
    await s.ctx.ping.history.flush();
  });
  after(() => s.dispose());

  it('load rules of 1 and 5 minutes in one tick', async () => {
    clock.set(t0);
    const add = (name: string, interval: number) =>
      s.ctx.store.alerts.addLoadRule({ ...ruleBase, consecutive: 1, name, metric: 'cpu', threshold: 90, ratio: 0.5, interval, clients: [early, late] });
    const one = await add('one minute', 1);
    const five = await add('five minutes', 5);
    await s.ctx.alerts.load.reload();
    clock.set(t0 + 5 * minute);
    await s.ctx.jobs.run('alerts.load');
    assert.deepEqual(await incidents(s, 'load'), [`${five}:${early}`, `${one}:${late}`].sort());
    const { items } = await s.ctx.store.alerts.records({ limit: 100, offset: 0 });
    assert.match(items.find((r) => r.ruleId === five)!.message, /^five minutes: cpu ≥ 90% in 50% of 5 min on early \(peak 95%\)$/);
  });

  it('loss rules of 1 and 5 minutes on one task in one tick, one of them on a subset', async () => {
    const add = (name: string, windowMinutes: number, clients: string[]) =>
      s.ctx.store.alerts.addPingRule({ ...ruleBase, name, enabled: true, taskId: task, lossPercent: 50, latencyMs: 0, windowMinutes, clients });
    const one = await add('loss 1 min', 1, []);
    const five = await add('loss 5 min', 5, [early]);
    const fiveLate = await add('loss 5 min, late only', 5, [late]);
    await s.ctx.alerts.pingRules.reload();
    await s.ctx.jobs.run('alerts.ping');
    assert.deepEqual(await incidents(s, 'ping'), [`${one}:${late}`, `${five}:${early}`].sort());
    assert.ok(!s.ctx.alerts.pingRules.incidents.isFiring(fiveLate, late), 'one lossy minute in five is 20 %');
  });
});
