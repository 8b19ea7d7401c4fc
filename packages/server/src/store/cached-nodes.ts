import type { NodePatch, NodeRow, NodeStore } from './types.ts';

/**
 * Every node row held in memory in front of the store: agents authenticate by token on every
 * POST and guests' reads need the hidden set, so a fleet of 10,000 would otherwise query SQLite
 * thousands of times a second for rows that change only when an admin edits them. Writes go to
 * the store first, then the copy is refreshed from it. Replicas sharing a database drop their copy
 * when another one changes a node (`invalidate`, through the cluster bus).
 * Callers get copies, so no caller can change what the next one reads.
 */
export function cachedNodes(inner: NodeStore): NodeStore {
  let rows: Map<string, NodeRow> | undefined;
  let tokens = new Map<string, NodeRow>();
  let loading: Promise<Map<string, NodeRow>> | undefined;
  /** moves on every invalidate: a list read before it must not become the copy after it */
  let generation = 0;

  const load = (): Promise<Map<string, NodeRow>> => {
    if (rows) return Promise.resolve(rows);
    const started = generation;
    loading ??= inner.list().then(
      (list) => {
        const fresh = new Map(list.map((r) => [r.uuid, r]));
        if (started !== generation) return fresh;
        rows = fresh;
        tokens = new Map(list.map((r) => [r.token, r]));
        return rows;
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
    const old = rows?.get(row.uuid);
    if (old) tokens.delete(old.token);
    rows?.set(row.uuid, row);
    tokens.set(row.token, row);
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
      return [...(await load()).values()].map((r) => ({ ...r }));
    },
    async get(uuid) {
      const r = (await load()).get(uuid);
      return r && { ...r };
    },
    async byToken(token) {
      await load();
      const r = tokens.get(token);
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
      const map = await load();
      const removed = await inner.remove(uuid);
      const old = map.get(uuid);
      if (old) tokens.delete(old.token);
      map.delete(uuid);
      return removed;
    },
    async setWeights(weights, at) {
      await load();
      await inner.setWeights(weights, at);
      for (const uuid of weights.keys()) await refresh(uuid);
    },
    invalidate() {
      generation++;
      rows = undefined;
      loading = undefined;
    },
  };
}
