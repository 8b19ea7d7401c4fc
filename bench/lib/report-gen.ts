import { readFileSync } from 'node:fs';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Reports and basic info shaped exactly as the official agent sends them: the first
 * `agent.report` and the `agent.basicInfo` of the v2 capture in the server's test fixtures
 * (packages/server/test/fixtures/captures). Each simulated host gets its own figures, which then
 * move every report the way a real host's do: CPU and network rates wander, counters grow,
 * uptime ticks.
 */
const capturePath = new URL('../../packages/server/test/fixtures/captures/official-agent-v2.jsonl', import.meta.url);
const lines = readFileSync(capturePath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as any);
const capturedReport = lines.find((l) => l.frame?.method === 'agent.report')!.frame.params.report;
const capturedInfo = lines.find((l) => l.body?.method === 'agent.basicInfo')!.body.params.info;

/** A small deterministic PRNG (mulberry32), so a run can be repeated figure for figure. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export class SimHost {
  readonly index: number;
  readonly #rand: () => number;
  readonly #cores: number;
  readonly #ramTotal: number;
  readonly #diskTotal: number;
  #cpu: number;
  #ram: number;
  #disk: number;
  #up = 0;
  #down = 0;
  #totalUp: number;
  #totalDown: number;
  #uptime: number;
  #tcp: number;
  #process: number;

  constructor(index: number) {
    this.index = index;
    const r = (this.#rand = rng(index + 1));
    this.#cores = [1, 2, 4, 8, 16][Math.floor(r() * 5)]!;
    this.#ramTotal = capturedReport.ram.total * (0.1 + r());
    this.#diskTotal = capturedReport.disk.total * (0.2 + r());
    this.#cpu = capturedReport.cpu.usage + r() * 40;
    this.#ram = this.#ramTotal * (0.1 + r() * 0.6);
    this.#disk = this.#diskTotal * (0.1 + r() * 0.7);
    this.#totalUp = capturedReport.network.totalUp * (1 + r() * 100);
    this.#totalDown = capturedReport.network.totalDown * (1 + r() * 10);
    this.#uptime = capturedReport.uptime + Math.floor(r() * 1e6);
    this.#tcp = capturedReport.connections.tcp + Math.floor(r() * 200);
    this.#process = capturedReport.process + Math.floor(r() * 300);
  }

  /** The basic info of this host (agent.basicInfo `info`, v1 uploadBasicInfo body). */
  basicInfo(): Record<string, unknown> {
    return { ...capturedInfo, cpu_cores: this.#cores, cpu_physical_cores: this.#cores, mem_total: Math.round(this.#ramTotal), disk_total: Math.round(this.#diskTotal) };
  }

  /** The next report, `seconds` after the previous one; `message` carries the send-time probe. */
  next(seconds: number, message: string): Record<string, unknown> {
    const r = this.#rand;
    this.#cpu = clamp(this.#cpu + (r() - 0.5) * 8, 0.1, 100);
    this.#ram = clamp(this.#ram + (r() - 0.5) * this.#ramTotal * 0.01, 0, this.#ramTotal);
    this.#disk = clamp(this.#disk + r() * 4096 * seconds, 0, this.#diskTotal);
    this.#up = Math.floor(clamp(this.#up + (r() - 0.5) * 200_000, 0, 50e6));
    this.#down = Math.floor(clamp(this.#down + (r() - 0.5) * 400_000, 0, 100e6));
    this.#totalUp += this.#up * seconds;
    this.#totalDown += this.#down * seconds;
    this.#uptime += seconds;
    this.#tcp = Math.max(0, this.#tcp + Math.round((r() - 0.5) * 4));
    this.#process = Math.max(1, this.#process + Math.round((r() - 0.5) * 2));
    const load1 = Math.round(((this.#cpu / 100) * this.#cores + r() * 0.1) * 100) / 100;
    return {
      cpu: { usage: this.#cpu },
      ram: { total: Math.round(this.#ramTotal), used: Math.round(this.#ram) },
      swap: capturedReport.swap,
      load: { load1, load5: Math.round(load1 * 90) / 100, load15: Math.round(load1 * 80) / 100 },
      disk: { total: Math.round(this.#diskTotal), used: Math.round(this.#disk) },
      network: { up: this.#up, down: this.#down, totalUp: Math.round(this.#totalUp), totalDown: Math.round(this.#totalDown) },
      connections: { tcp: this.#tcp, udp: Math.floor(r() * 10) },
      uptime: Math.round(this.#uptime),
      process: this.#process,
      message,
    };
  }
}

/** The latency probe in `message`: `k<agent>:<send time, ms since the epoch>`, echoed by /api/clients. */
export function probeMessage(index: number, at: number): string {
  return `k${index}:${at}`;
}
export const probePattern = /"message":"k(\d+):(\d+)"/g;
