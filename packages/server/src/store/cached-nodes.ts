import type { NodePatch, NodeRow, NodeStore } from './types.ts';

/**
 * Every node row held in memory in front of the store: agents authenticate by token on every
 * POST and guests' reads need the hidden set, so a fleet of 10,000 would otherwise query SQLite
 * thousands of times a second for rows that change only when an admin edits them. Writes go to
 * the store first, then the copy is refreshed from it. Replicas sharing a database drop their copy
 * when another one changes a node (`invalidate`, through the cluster bus).
 * Callers get copies, so no caller can change what the next one reads.
 */
interface Copy {
  rows: Map<string, NodeRow>;
  tokens: Map<string, NodeRow>;
}

const copyOf = (list: NodeRow[]): Copy => ({
  rows: new Map(list.map((r) => [r.uuid, r])),
  tokens: new Map(list.map((r) => [r.token, r])),
});

/**
 * On a database other servers write too (replicas on PostgreSQL), a token missing from the copy may
 * belong to a node another replica added a moment ago, or whose change message was lost on the
 * way: the database is asked, at most this many times a second, so hostile wrong tokens cannot turn
 * into a flood of queries. Undefined: the copy is the whole truth (SQLite, one server).
 */
export interface CachedNodesOptions {
  tokenMissReadsPerSecond?: number;
}

export const sharedDatabaseNodeCache: CachedNodesOptions = { tokenMissReadsPerSecond: 20 };

export function cachedNodes(inner: NodeStore, opts: CachedNodesOptions = {}): NodeStore {
  let copy: Copy | undefined;
  let loading: Promise<Copy> | undefined;
  /** moves on every invalidate: a list read before it must not become the copy after it */
  let generation = 0;

  // callers use the copy load gives them, never a field read afterwards: a read that raced an
  // invalidate answers from its own fresh list rather than from a copy it did not build
  const load = (): Promise<Copy> => {
    if (copy) return Promise.resolve(copy);
    const started = generation;
    loading ??= inner.list().then(
      (list) => {
        const fresh = copyOf(list);
        if (started === generation) copy = fresh;
        return fresh;
      },
      (err: unknown) => {
        // a database down at the first read must not fail every later read
        loading = undefined;
        throw err;
      },
    );
    return loading;
  };

  const put = (row: NodeRow) => {
    if (!copy) return;
    const old = copy.rows.get(row.uuid);
    if (old) copy.tokens.delete(old.token);
    copy.rows.set(row.uuid, row);
    copy.tokens.set(row.token, row);
  };

  let missWindow = 0;
  let missReads = 0;
  const mayReadMiss = (): boolean => {
    const perSecond = opts.tokenMissReadsPerSecond ?? 0;
    const second = Math.floor(Date.now() / 1000);
    if (second !== missWindow) {
      missWindow = second;
      missReads = 0;
    }
    return missReads++ < perSecond;
  };

  const refresh = async (uuid: string) => {
    const row = await inner.get(uuid);
    if (row) put(row);
  };

  return {
    async create(node) {
      await load();
      await inner.create(node);
      await refresh(node.uuid);
    },
    async list() {
      // insertion order is the Map's order, which is the store's (create appends)
      return [...(await load()).rows.values()].map((r) => ({ ...r }));
    },
    async get(uuid) {
      const r = (await load()).rows.get(uuid);
      return r && { ...r };
    },
    async byToken(token) {
      let r = (await load()).tokens.get(token);
      if (!r && mayReadMiss()) {
        r = await inner.byToken(token);
        if (r) put(r);
      }
      return r && { ...r };
    },
    async update(uuid: string, patch: NodePatch) {
      await load();
      try {
        return await inner.update(uuid, patch);
      } finally {
        await refresh(uuid);
      }
    },
    async remove(uuid) {
      const { rows, tokens } = await load();
      const removed = await inner.remove(uuid);
      const old = rows.get(uuid);
      if (old) tokens.delete(old.token);
      rows.delete(uuid);
      return removed;
    },
    async setWeights(weights, at) {
      await load();
      await inner.setWeights(weights, at);
      for (const uuid of weights.keys()) await refresh(uuid);
    },
    invalidate() {
      generation++;
      copy = undefined;
      loading = undefined;
    },
  };
}
