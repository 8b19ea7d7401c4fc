/** Timings and sizes of the v2 transport (agent-protocol.md §7.5, §7.6, §11.3), as data. */
export const v2Limits = {
  /** a socket with no data frame for this long is dropped; pings do not count */
  readDeadlineMs: 11_000,
  /** how long a POST `agent.pull` waits for an event when none is pending */
  pullHoldMs: 25_000,
  /** events returned with an `agent.report` result */
  reportEvents: 8,
  /** events returned with an `agent.pull` result */
  pullEvents: 128,
} as const;

export const v2Path = '/api/clients/v2/rpc';
