import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { isAdmin, type Caller } from '../rpc/caller.ts';
import { defineMethod, type MethodDef } from '../rpc/registry.ts';
import { pingSummary } from '../ping/summary.ts';
import { reportWire, type StampedReport } from '../realtime/stamped-report.ts';
import { float32 } from '../util/float32.ts';
import { formatTime } from '../util/time.ts';

/** Hidden nodes are invisible to anyone but admins. */
async function hiddenFor(app: AppContext, caller: Caller): Promise<Set<string>> {
  if (isAdmin(caller)) return new Set();
  return new Set((await app.store.nodes.list()).filter((n) => n.hidden).map((n) => n.uuid));
}

/** The flat status row of common:getNodeRecentStatus / getNodesLatestStatus (rpc2.md §10.1). */
function flatStatus(s: StampedReport) {
  const r = s.report;
  return {
    client: s.uuid,
    time: formatTime(s.at),
    cpu: float32(r.cpu.usage),
    gpu: float32(r.gpu?.average_usage ?? 0),
    ram: r.ram.used,
    ram_total: r.ram.total,
    swap: r.swap.used,
    swap_total: r.swap.total,
    load: float32(r.load.load1),
    temp: 0,
    disk: r.disk.used,
    disk_total: r.disk.total,
    net_in: r.network.down,
    net_out: r.network.up,
    net_total_up: r.network.totalUp,
    net_total_down: r.network.totalDown,
    process: r.process,
    connections: r.connections.tcp + r.connections.udp,
    connections_udp: r.connections.udp,
  };
}

async function latestStatus(app: AppContext, s: StampedReport) {
  const { client, time, cpu, gpu, ram, ram_total, swap, swap_total, load, temp, ...rest } = flatStatus(s);
  return {
    client, time, cpu, gpu, ram, ram_total, swap, swap_total, load,
    load5: float32(s.report.load.load5),
    load15: float32(s.report.load.load15),
    temp,
    ...rest,
    online: app.live.isOnline(s.uuid),
    uptime: s.report.uptime,
    ping: await pingSummary(app, s.uuid),
  };
}

const uuidParam = z.object({ uuid: z.string().optional() });

export const liveMethods: MethodDef[] = [
  defineMethod({
    name: 'public:getClientRecentRecords',
    summary: 'Reports of the last minute, oldest first (REST /api/recent/:uuid)',
    params: uuidParam,
    positional: ['uuid'],
    handler: async ({ uuid }, { app, caller }) => {
      if (!uuid || (await hiddenFor(app, caller)).has(uuid)) throw AppError.invalidParams('UUID is required');
      return app.live.recent(uuid).map((s) => reportWire(s, { withUuid: true }));
    },
  }),
  defineMethod({
    name: 'common:getNodeRecentStatus',
    summary: 'Flat status rows of the last minute for one node',
    params: uuidParam,
    positional: ['uuid'],
    handler: async ({ uuid }, { app, caller }) => {
      if (!uuid || (await hiddenFor(app, caller)).has(uuid)) throw AppError.invalidParams('UUID is required', { uuid: uuid ?? '' });
      const records = app.live.recent(uuid).map(flatStatus);
      return { count: records.length, records };
    },
  }),
  defineMethod({
    name: 'common:getNodesLatestStatus',
    summary: 'Latest status of one node, some nodes, or every node that has reported',
    params: z.object({ uuid: z.string().optional(), uuids: z.array(z.string()).optional() }),
    positional: ['uuid', 'uuids'],
    handler: async ({ uuid, uuids }, { app, caller }) => {
      const hidden = await hiddenFor(app, caller);
      if (uuid) {
        const s = hidden.has(uuid) ? undefined : app.live.latest(uuid);
        if (!s) throw AppError.invalidParams('Node not found', uuid);
        return await latestStatus(app, s);
      }
      // an empty list means every node, as in Komari
      const wanted = uuids?.length ? new Set(uuids) : undefined;
      const out: Record<string, unknown> = {};
      for (const s of app.live.latestAll()) {
        if (hidden.has(s.uuid) || (wanted && !wanted.has(s.uuid))) continue;
        out[s.uuid] = await latestStatus(app, s);
      }
      return out;
    },
  }),
];
