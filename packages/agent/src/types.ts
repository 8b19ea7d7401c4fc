import type { BasicInfo, Report } from '@komari-ts/protocol';
import type { ProbeErrorWire } from '@komari-ts/protocol/probe-error';

/** What the collectors give the transport: one report per tick, basic info at start and every info interval. */
export interface Collector {
  /** A report of the host now; rates are measured since the previous call. */
  report(): Promise<Report>;
  basicInfo(): Promise<BasicInfo>;
}

/** The result of one ping probe: milliseconds, or -1 when lost (agent-protocol.md §5). */
export type PingValue = number;

/** A probe's value and, when it could not run at all, why (sent as the result's `probe_error`). */
export interface PingOutcome {
  value: PingValue;
  error?: ProbeErrorWire;
}

export interface ExecOutcome {
  /** stdout, then stderr after a newline, CRLF → LF */
  result: string;
  exitCode: number;
}
