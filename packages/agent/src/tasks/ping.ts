import type { PingOutcome, PingValue } from '../types.ts';
import { icmpOnce } from './icmp.ts';
import { ProbeFailure } from './probe-failure.ts';
import { httpOnce, tcpOnce } from './probes.ts';

/** Ping probes as the official agent runs them (agent-protocol.md §5): integer ms, -1 = lost. */

export interface PingOptions {
  /** per measurement; 3 s like the official agent */
  timeoutMs?: number;
  log?: (message: string) => void;
  /** the program icmp probes run: `ping` from PATH unless given (a name or a path) */
  pingBinary?: string;
}

const HIGH_LATENCY_MS = 1000;
const HIGH_LATENCY_RETRIES = 3;
/** for tcp, a first sample this much slower than the re-measure was a SYN retransmission */
const RETRANSMISSION_DROP_MS = 800;

const defaultLog = (message: string) => console.error(`[komari-agent] ${message}`);

/**
 * One measurement of a target. A ProbeFailure (the probe could not run) goes up to runPing;
 * anything else thrown is a loss.
 */
async function measureOnce(type: string, target: string, timeoutMs: number, o: { log: (m: string) => void; binary: string }): Promise<number> {
  try {
    switch (type) {
      case 'icmp':
        return await icmpOnce(target, timeoutMs, o);
      case 'tcp':
        return await tcpOnce(target, timeoutMs);
      case 'http':
        return await httpOnce(target, timeoutMs);
      default:
        return -1;
    }
  } catch (err) {
    if (err instanceof ProbeFailure) throw err;
    return -1;
  }
}

/**
 * The high-latency rule: a first sample over 1000 ms is re-measured up to 3 times and the first
 * re-measure at or under 1000 ms is used; for tcp, a drop of more than 800 ms means the first
 * connect suffered a retransmission and the probe is a failure; still high after 3 → failure.
 * A failed re-measure is a failure.
 */
export async function withHighLatencyRule(type: string, measure: () => Promise<number>): Promise<PingValue> {
  const first = await measure();
  if (first < 0) return -1;
  if (first <= HIGH_LATENCY_MS) return first;
  for (let i = 0; i < HIGH_LATENCY_RETRIES; i++) {
    const again = await measure();
    if (again < 0) return -1;
    if (again <= HIGH_LATENCY_MS) {
      if (type === 'tcp' && first - again > RETRANSMISSION_DROP_MS) return -1;
      return again;
    }
  }
  return -1;
}

/**
 * Runs one ping task: `icmp` (system `ping`, no root), `tcp` (connect time to host:port, port 80
 * by default) or `http` (GET, DNS excluded, 200–399); any other type is -1. A probe that could
 * not run is -1 with the reason as a `probe_error`; one that ran and got no answer is a plain -1.
 * Never rejects.
 */
export async function runPing(type: 'icmp' | 'tcp' | 'http' | string, target: string, opts: PingOptions = {}): Promise<PingOutcome> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const measure = { log: opts.log ?? defaultLog, binary: opts.pingBinary ?? 'ping' };
  if (type !== 'icmp' && type !== 'tcp' && type !== 'http') {
    return { value: -1, error: new ProbeFailure('unsupported', `probe type ${JSON.stringify(type.slice(0, 32))} is not one this agent runs`).toWire() };
  }
  try {
    return { value: await withHighLatencyRule(type, () => measureOnce(type, target, timeoutMs, measure)) };
  } catch (err) {
    if (err instanceof ProbeFailure) return { value: -1, error: err.toWire() };
    return { value: -1 };
  }
}
