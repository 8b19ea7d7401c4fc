/** Timings and sizes of replicas joined through NATS (cluster/), as data. */
export interface ClusterLimits {
  /** how often a replica forwards the reports it accepted to the others (one message per chunk) */
  forwardEveryMs: number;
  /** reports waiting for the next forward; past it the oldest are dropped from the forward (never from history) */
  maxForwardReports: number;
  /** a forwarded message is cut into chunks of at most this many bytes (NATS refuses past its max_payload, 1 MiB by default) */
  maxMessageBytes: number;
  /** how often a replica says it lives and which nodes it holds */
  heartbeatEveryMs: number;
  /** a replica not heard from for this long is gone: its nodes go offline everywhere else */
  replicaTimeoutMs: number;
  /** how often a replica that is not the leader tries to become it (and the leader checks its lock) */
  leaderTryEveryMs: number;
  /** changes made on another replica are re-read at most this often (a burst of edits, one reload) */
  reloadDebounceMs: number;
  /** reports held for a node while its history is read back from the database (it moved here) */
  adoptPendingReports: number;
  /**
   * nodes one heartbeat message names (a replica holding more sends its beat in parts: 10,000
   * uuids are ~390 KB, under NATS's 1 MiB); a message naming more is refused as malformed
   */
  maxHeartbeatNodes: number;
  /**
   * how long a replica an agent dialled for a terminal it does not hold waits for the replica that
   * holds it to answer (cluster/terminal-relay.ts); an id no one holds is refused after this long
   */
  terminalFindTimeoutMs: number;
  /** look-ups of that kind waiting at once; past it an agent's terminal join gets 503 */
  maxTerminalFinds: number;
  /** agent terminal sockets held here for sessions of other replicas; past it 503 */
  maxRelayedTerminals: number;
  /** a relayed terminal frame travels in pieces of at most this many bytes (base64: 4/3 of it on the wire) */
  terminalPieceBytes: number;
}

export const defaultClusterLimits: ClusterLimits = {
  forwardEveryMs: 200,
  maxForwardReports: 50_000,
  maxMessageBytes: 512 * 1024,
  heartbeatEveryMs: 1000,
  replicaTimeoutMs: 3500,
  leaderTryEveryMs: 1000,
  reloadDebounceMs: 100,
  adoptPendingReports: 120,
  maxHeartbeatNodes: 10_000,
  terminalFindTimeoutMs: 2000,
  maxTerminalFinds: 64,
  maxRelayedTerminals: 1024,
  terminalPieceBytes: 128 * 1024,
};
