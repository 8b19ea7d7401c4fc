/** The numbers of remote exec (admin-api.md §5, agent-protocol.md §13), as data. */
export const execLimits = {
  /** task ids: 16 characters [0-9A-Za-z] */
  taskIdLength: 16,
  /** result rows older than this (by creation) are purged by the 30-minute job; tasks are kept */
  resultRetentionMs: 30 * 24 * 3600 * 1000,
  /** the result recorded at once for a client that cannot be reached */
  offlineResult: 'Client offline!',
  offlineExitCode: -1,
} as const;
