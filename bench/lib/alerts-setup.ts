import { join } from 'node:path';
import type { LoadRuleFields, PingRuleFields } from '../../packages/server/src/alerts/store/types.ts';
import { buildApp, type BuiltApp } from '../../packages/server/src/app.ts';
import { loadBootConfig } from '../../packages/server/src/config/boot-config.ts';
import { openSqliteStore } from '../../packages/server/src/store/sqlite/open.ts';
import type { Store } from '../../packages/server/src/store/types.ts';
import type { BenchClock, FleetPingTask } from './alerts-fleet.ts';
import { nodeRow } from './history-seed.ts';

/** Which nodes a rule watches, out of all of them. */
type Pick = (uuids: readonly string[]) => string[];
const all: Pick = (u) => [...u];
const firstHalf: Pick = (u) => u.slice(0, u.length >> 1);
const secondHalf: Pick = (u) => u.slice(u.length >> 1);
const everyOther: Pick = (u) => u.filter((_, i) => i % 2 === 0);
const fifth: Pick = (u) => u.slice(0, Math.ceil(u.length / 5));

type LoadSpec = [name: string, metric: string, threshold: number, ratio: number, interval: number, clients: Pick, more?: Partial<LoadRuleFields>];

/**
 * 14 load rules over 1 to 15 minutes, most on every node: what an operator of a large fleet
 * writes. swap (no swap on the simulated hosts) and gpu (no GPU) never fire, as on such a fleet;
 * they are read all the same.
 */
export const loadSpecs: LoadSpec[] = [
  ['cpu 90 % 1 min', 'cpu', 90, 0.5, 1, all],
  ['cpu 80 % 5 min', 'cpu', 80, 0.6, 5, all, { reminderMinutes: 5 }],
  ['cpu 95 % 15 min', 'cpu', 95, 0.3, 15, all],
  ['cpu 85 % 2 min ×2', 'cpu', 85, 0.5, 2, everyOther, { consecutive: 2 }],
  ['ram 90 % 5 min', 'ram', 90, 0.5, 5, all],
  ['ram 95 % 15 min', 'ram', 95, 0.2, 15, all],
  ['load 8 1 min', 'load', 8, 0.5, 1, firstHalf],
  ['load 4 10 min', 'load', 4, 0.5, 10, all],
  ['disk 90 % 15 min', 'disk', 90, 0.5, 15, all],
  ['disk 80 % 10 min', 'disk', 80, 0.5, 10, fifth],
  ['swap 50 % 5 min', 'swap', 50, 0.5, 5, all],
  ['gpu 90 % 5 min', 'gpu', 90, 0.5, 5, all],
  ['net in 500 Mbps 1 min', 'net_in', 500, 0.5, 1, all],
  ['net out 200 Mbps 5 min', 'net_out', 200, 0.5, 5, secondHalf],
];

type PingSpec = [name: string, task: 0 | 1, lossPercent: number, latencyMs: number, windowMinutes: number, clients: Pick];

/** 4 latency/loss rules over two ping tasks (an empty client list means every node of the task). */
export const pingSpecs: PingSpec[] = [
  ['icmp latency 250 ms 5 min', 0, 0, 250, 5, () => []],
  ['icmp loss 20 % 10 min', 0, 20, 0, 10, () => []],
  ['tcp latency 300 ms 15 min', 1, 0, 300, 15, () => []],
  ['tcp loss 10 % 5 min', 1, 10, 0, 5, everyOther],
];

export interface BenchServer {
  built: BuiltApp;
  store: Store;
  uuids: string[];
  tasks: FleetPingTask[];
  close(): Promise<void>;
}

/**
 * The server in this process (buildApp over a SQLite file, the bench clock, log off) with its
 * timers stopped: the bench runs the jobs itself. Deliveries make one attempt, so a notice to the
 * `empty` sender (no channel configured) fails within the round that sent it, not 2 and 8 s later.
 */
export async function startBenchServer(dir: string, clock: BenchClock, nodes: number): Promise<BenchServer> {
  const db = join(dir, 'komari.db');
  const store = openSqliteStore(db);
  const config = loadBootConfig({ listen: '127.0.0.1:0', db }, { KOMARI_LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'bench-password-1' });
  const built = await buildApp({ config, store, clock, logger: false, limits: { alerts: { attempts: 1 } } });
  await built.ctx.jobs.stop();
  const uuids: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const row = nodeRow(i, clock.ms);
    await store.nodes.create(row);
    uuids.push(row.uuid);
  }
  const ping = built.ctx.ping;
  const tasks = [
    { id: await ping.add({ name: 'icmp', clients: uuids, defaultOn: true, type: 'icmp', target: '1.1.1.1', interval: 30 }), interval: 30 },
    { id: await ping.add({ name: 'tcp', clients: uuids, defaultOn: true, type: 'tcp', target: '1.1.1.1:443', interval: 60 }), interval: 60 },
  ];
  return {
    built, store, uuids, tasks,
    async close() {
      try {
        await built.fastify.close();
      } finally {
        await store.close();
      }
    },
  };
}

const ruleDefaults = { reminderMinutes: 0, notifyResolved: true, channels: null, quiet: null };

/** The 20 rules (14 load, 4 latency/loss; traffic and offline are per node), offline alerts on for every node. */
export async function addRules(s: BenchServer): Promise<void> {
  const { ctx } = s.built;
  for (const [name, metric, threshold, ratio, interval, pick, more] of loadSpecs) {
    await ctx.store.alerts.addLoadRule({ ...ruleDefaults, consecutive: 1, name, metric, threshold, ratio, interval, clients: pick(s.uuids), ...more });
  }
  for (const [name, task, lossPercent, latencyMs, windowMinutes, pick] of pingSpecs) {
    const rule: PingRuleFields = { ...ruleDefaults, name, enabled: true, taskId: s.tasks[task]!.id, lossPercent, latencyMs, windowMinutes, clients: pick(s.uuids) };
    await ctx.store.alerts.addPingRule(rule);
  }
  await ctx.store.alerts.upsertOfflineRules(s.uuids.map((client) => ({ client, enable: true, gracePeriod: 180 })));
  await ctx.alerts.load.reload();
  await ctx.alerts.pingRules.reload();
  await ctx.alerts.offline.reloadRules();
}

/**
 * Traffic limits from each node's counters now: 4 % of nodes at 86 % of theirs (one alert at
 * the 85 % step, more as their counters grow), the rest at a fifth.
 */
export async function setTrafficLimits(s: BenchServer): Promise<void> {
  const { ctx } = s.built;
  for (const [i, uuid] of s.uuids.entries()) {
    const latest = ctx.live.latest(uuid);
    if (!latest) continue;
    const used = Math.max(latest.report.network.totalUp, latest.report.network.totalDown);
    const limit = Math.round(i % 25 === 0 ? used / 0.86 : used * 5);
    await ctx.store.nodes.update(uuid, { traffic_limit: limit, traffic_limit_type: 'max' });
  }
}
