// React's view of the LiveStore: a card subscribes to its own node only, and only while it is on
// (or near) the screen; scrolled back in, it re-reads the latest entry at once.
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import { LiveStore, type LinkState } from './live-store.ts';
import type { LiveEntry } from './live-types.ts';

export const LiveStoreContext = createContext<LiveStore>(new LiveStore());

const never = () => () => {};

export function useLiveStore(): LiveStore {
  return useContext(LiveStoreContext);
}

/** The live entry of one node; follows updates while `watching` (the card is on screen). */
export function useNodeLive(uuid: string, watching: boolean): LiveEntry {
  const store = useLiveStore();
  const subscribe = useCallback((cb: () => void) => store.subscribe(uuid, cb), [store, uuid]);
  return useSyncExternalStore(watching ? subscribe : never, () => store.get(uuid));
}

/** Changes once per flushed frame: for views that add up every node (the summary strip). */
export function useLiveVersion(): number {
  const store = useLiveStore();
  const subscribe = useCallback((cb: () => void) => store.subscribeAll(cb), [store]);
  return useSyncExternalStore(subscribe, () => store.version());
}

export function useLinkState(): LinkState {
  const store = useLiveStore();
  const subscribe = useCallback((cb: () => void) => store.subscribeAll(cb), [store]);
  return useSyncExternalStore(subscribe, () => store.link());
}
