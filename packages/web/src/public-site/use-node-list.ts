// The node list from /api/nodes: loaded once, refreshed every minute (names, groups, prices
// change) and soon after the live feed names a node the list lacks (one was added). A refresh
// keeps the old object of every unchanged node, so memoised cards do not re-render.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, apiGet } from '../lib/api.ts';
import type { LiveStore } from './live-store.ts';
import type { NodeWire } from './live-types.ts';

const refreshMs = 60_000;
const unknownRefreshMs = 3_000;

export interface NodeListState {
  nodes: NodeWire[] | undefined;
  error: ApiError | Error | undefined;
  /** the server refused the list: private site and not logged in (public-api.md §1.4) */
  mustLogIn: boolean;
  reload: () => void;
}

function reuseUnchanged(prev: readonly NodeWire[] | undefined, next: NodeWire[]): NodeWire[] {
  if (!prev) return next;
  const old = new Map(prev.map((n) => [n.uuid, n]));
  return next.map((n) => {
    const o = old.get(n.uuid);
    return o && JSON.stringify(o) === JSON.stringify(n) ? o : n;
  });
}

export function useNodeList(store: LiveStore, enabled: boolean): NodeListState {
  const [nodes, setNodes] = useState<NodeWire[]>();
  const [error, setError] = useState<Error>();
  const inFlight = useRef(false);
  const lastLoad = useRef(0);

  const load = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    lastLoad.current = Date.now();
    try {
      const data = await apiGet<NodeWire[]>('/api/nodes');
      const list = Array.isArray(data) ? data : [];
      store.setKnown(new Set(list.map((n) => n.uuid)));
      setNodes((prev) => reuseUnchanged(prev, list));
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      inFlight.current = false;
    }
  }, [store]);

  useEffect(() => {
    if (!enabled) return;
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    store.onUnknown = () => {
      if (Date.now() - lastLoad.current > unknownRefreshMs) void load();
    };
    return () => {
      clearInterval(timer);
      store.onUnknown = undefined;
    };
  }, [enabled, load, store]);

  const mustLogIn = error instanceof ApiError && error.status === 401;
  return { nodes, error, mustLogIn, reload: () => void load() };
}
