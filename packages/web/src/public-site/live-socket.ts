// The dashboard asks /api/clients every second (the agents' cadence) and feeds the live store.
import { openClientsFeed } from '../lib/clients-feed.ts';
import type { LiveStore } from './live-store.ts';

/** Keeps `store` fed until the returned function is called. */
export function connectLive(store: LiveStore): () => void {
  return openClientsFeed({
    everyMs: 1000,
    onData: (d) => store.apply(d.online, d.data),
    onLink: (state) => store.setLink(state),
  });
}
