/**
 * What a replica knows of the others (README "Several replicas"). A server alone is its own
 * cluster of one (`soloCluster`): always the leader, and nothing goes anywhere.
 */
export interface Cluster {
  /** this process, unique among the replicas; `solo` when alone */
  readonly replicaId: string;
  /** false when alone: callers skip work that only matters between replicas */
  readonly joined: boolean;
  /** whether this replica runs the work that must run once (alerts, retention, sweeps) */
  isLeader(): boolean;
  /** called with true when this replica becomes the leader, false when it stops being it */
  onLeadership(fn: (leader: boolean) => void): () => void;
  /** sends `data` (JSON) to every other replica listening on `topic` */
  publish(topic: string, data: unknown): void;
  /** what the other replicas send on `topic`; never this replica's own messages */
  subscribe(topic: string, fn: (data: unknown) => void): () => void;
  /**
   * Asks whichever replica answers on `topic` (the first answer wins); undefined when none does
   * within `timeoutMs`, or when alone
   */
  request(topic: string, data: unknown, timeoutMs: number): Promise<unknown>;
  /** answers requests on `topic` with what `fn` returns (JSON); undefined leaves the answer to others */
  answer(topic: string, fn: (data: unknown) => unknown): () => void;
  close(): Promise<void>;
}

export const soloCluster: Cluster = {
  replicaId: 'solo',
  joined: false,
  isLeader: () => true,
  onLeadership: () => () => undefined,
  publish: () => undefined,
  subscribe: () => () => undefined,
  request: async () => undefined,
  answer: () => () => undefined,
  close: async () => undefined,
};
