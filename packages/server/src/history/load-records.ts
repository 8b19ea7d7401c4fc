import type { LoadRecord } from '@komari-ts/protocol';
import type { HistoryGauge, HistoryRow } from '../store/types.ts';
import { formatTime } from '../util/time.ts';
import { samplesOf } from './bucket.ts';
import { float32 } from '../util/float32.ts';

function avg(b: HistoryRow, g: HistoryGauge): number {
  const n = samplesOf(b, g);
  return n === 0 ? 0 : b.sum[g] / n;
}

/**
 * A bucket as a record: gauges are averages (integer fields truncated, as Komari reconstructs
 * them), totals are the bucket's last report (decision 2: filled, where Komari says 0), traffic
 * is the Σ of deltas. `temp` stays 0: no report field carries a host temperature.
 */
export function toLoadRecord(b: HistoryRow): LoadRecord {
  const int = (g: HistoryGauge) => Math.trunc(avg(b, g));
  return {
    client: b.node,
    time: formatTime(b.start),
    cpu: float32(avg(b, 'cpu')),
    gpu: float32(avg(b, 'gpu')),
    ram: int('ram'),
    ram_total: b.ramTotal,
    swap: int('swap'),
    swap_total: b.swapTotal,
    load: float32(avg(b, 'load')),
    temp: 0,
    disk: int('disk'),
    disk_total: b.diskTotal,
    net_in: int('net_in'),
    net_out: int('net_out'),
    net_total_up: b.netTotalUp,
    net_total_down: b.netTotalDown,
    traffic_up: b.trafficUp,
    traffic_down: b.trafficDown,
    process: int('process'),
    connections: int('connections'),
    connections_udp: int('connections_udp'),
  };
}

type Projection = (r: LoadRecord) => Record<string, number>;

function withPercent(used: number, total: number, key: string): Record<string, number> {
  return total > 0 ? { [`${key}_percent`]: float32((used / total) * 100) } : {};
}

/** REST `load_type` groups (public-api.md §6.11); the REST payload is a Go map, so keys come out sorted. */
const restProjections: Record<string, Projection> = {
  cpu: (r) => ({ cpu: r.cpu }),
  ram: (r) => ({ ram: r.ram, ram_total: r.ram_total, ...withPercent(r.ram, r.ram_total, 'ram') }),
  swap: (r) => ({ swap: r.swap, swap_total: r.swap_total, ...withPercent(r.swap, r.swap_total, 'swap') }),
  load: (r) => ({ load: r.load }),
  temp: (r) => ({ temp: r.temp }),
  disk: (r) => ({ disk: r.disk, disk_total: r.disk_total, ...withPercent(r.disk, r.disk_total, 'disk') }),
  network: (r) => ({ net_in: r.net_in, net_out: r.net_out, net_total_up: r.net_total_up, net_total_down: r.net_total_down }),
  process: (r) => ({ process: r.process }),
  connections: (r) => ({
    connections: r.connections,
    connections_udp: r.connections_udp,
    // Komari's arithmetic, reproduced as is: `connections` is TCP only here, so this is TCP − UDP.
    connections_tcp: r.connections - r.connections_udp,
  }),
};

export const restLoadTypes: ReadonlySet<string> = new Set([...Object.keys(restProjections), 'all', '']);

export function projectRest(r: LoadRecord, loadType: string): Record<string, unknown> {
  const project = Object.hasOwn(restProjections, loadType) ? restProjections[loadType] : undefined;
  const fields: Record<string, unknown> = { client: r.client, time: r.time, ...project?.(r) };
  return Object.fromEntries(Object.keys(fields).sort().map((k) => [k, fields[k]]));
}

/** RPC `load_type` groups (rpc2.md §10.1): a struct, so field order; no percents; unknown → cpu. */
const rpcFields: Record<string, readonly (keyof LoadRecord)[]> = {
  cpu: ['cpu'],
  gpu: ['gpu'],
  ram: ['ram', 'ram_total'],
  swap: ['swap', 'swap_total'],
  load: ['load'],
  temp: ['temp'],
  disk: ['disk', 'disk_total'],
  network: ['net_in', 'net_out', 'net_total_up', 'net_total_down'],
  process: ['process'],
  connections: ['connections', 'connections_udp'],
};

/**
 * The fewest UTF-8 bytes one record of `uuid` takes in a common:getRecords answer: the smallest
 * projection (one 3-letter field of value 0), the shortest time formatTime prints, a separator.
 * A lower bound, so an answer refused by it could never have fitted.
 */
export function minRecordBytes(uuid: string): number {
  return Buffer.byteLength(JSON.stringify({ client: uuid, time: '1970-01-01T00:00:00Z', cpu: 0 })) + 1;
}

export function projectRpc(r: LoadRecord, loadType: string): Record<string, unknown> {
  const out: Record<string, unknown> = { client: r.client, time: r.time };
  for (const k of (Object.hasOwn(rpcFields, loadType) ? rpcFields[loadType] : rpcFields.cpu)!) out[k] = r[k];
  return out;
}
