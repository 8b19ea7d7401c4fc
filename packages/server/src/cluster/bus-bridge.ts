import type { AppContext } from '../app-context.ts';
import type { BusEventName, BusEvents } from '../bus/events.ts';
import { reloadCaches } from './reload-caches.ts';

/** The bus events every replica must see; the live view travels apart (live-sync.ts). */
const sharedEvents = ['node.deleted', 'settings.changed', 'account.credentialsChanged', 'admin.changed'] as const satisfies readonly BusEventName[];
type SharedEvent = (typeof sharedEvents)[number];

function isShared(name: unknown): name is SharedEvent {
  return typeof name === 'string' && (sharedEvents as readonly string[]).includes(name);
}

const uuidLike = /^[0-9a-zA-Z-]{1,64}$/;

/**
 * Carries the shared bus events between replicas. One published here goes to the others; one
 * from another replica is applied here (a deleted node is forgotten, caches re-read) and then
 * published on this replica's bus for its own subscribers, without going out again.
 */
export function startBusBridge(app: AppContext): () => void {
  const { bus, cluster } = app;
  let applyingRemote = false;
  let reloadTimer: NodeJS.Timeout | undefined;
  let reloading: Promise<void> = Promise.resolve();

  const scheduleReload = () => {
    reloadTimer ??= setTimeout(() => {
      reloadTimer = undefined;
      reloading = reloading
        .then(() => reloadCaches(app))
        .catch((err: unknown) => app.log.error({ err }, 'cluster: re-reading what another replica changed failed'));
    }, app.limits.cluster.reloadDebounceMs);
  };

  function publishHere<K extends SharedEvent>(name: K, event: BusEvents[K]): void {
    applyingRemote = true;
    try {
      bus.publish(name, event);
    } finally {
      applyingRemote = false;
    }
  }

  const offs = sharedEvents.map((name) =>
    bus.subscribe(name, (event) => {
      if (!applyingRemote) cluster.publish('event', { from: cluster.replicaId, name, event });
    }),
  );

  offs.push(
    cluster.subscribe('event', (m) => {
      const msg = m as { name?: unknown; event?: unknown };
      if (!isShared(msg.name) || typeof msg.event !== 'object' || msg.event === null) return;
      switch (msg.name) {
        case 'node.deleted': {
          const { uuid } = msg.event as { uuid?: unknown };
          if (typeof uuid !== 'string' || !uuidLike.test(uuid)) return;
          // its token must stop working here at once, not after the debounce
          app.store.nodes.invalidate?.();
          app.live.forget(uuid);
          app.events.forget(uuid);
          void app.history.forget(uuid).catch(() => undefined);
          void app.ping.history.forget({ node: uuid }).catch(() => undefined);
          app.ping.errors.forgetNode(uuid);
          publishHere('node.deleted', { uuid });
          scheduleReload();
          return;
        }
        case 'account.credentialsChanged': {
          const e = msg.event as BusEvents['account.credentialsChanged'];
          if (typeof e.userUuid !== 'string') return;
          publishHere('account.credentialsChanged', { userUuid: e.userUuid, reason: e.reason });
          return;
        }
        // settings are re-read from the database, never taken from the message; what reacts to
        // a change (the legacy Telegram channel) ran once, on the replica where it was made
        case 'settings.changed':
        case 'admin.changed':
          scheduleReload();
          return;
      }
    }),
  );

  return () => {
    clearTimeout(reloadTimer);
    for (const off of offs) off();
  };
}
