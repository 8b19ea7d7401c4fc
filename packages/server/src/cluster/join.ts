import type { AppContext } from '../app-context.ts';
import { startBusBridge } from './bus-bridge.ts';
import { startCommandRelay } from './command-relay.ts';
import { startLiveSync } from './live-sync.ts';

/**
 * Joins this app to the other replicas: the shared live view, the shared bus events, commands for
 * agents held here, web terminals whose agent dialled another replica, and alert state read back when this replica becomes the leader. Alone, nothing.
 * Returns what undoes it (at close, before the sockets go).
 */
export function joinCluster(app: AppContext): () => void {
  if (!app.cluster.joined) return () => undefined;
  const said = (leader: boolean) =>
    app.log.info({ replica: app.cluster.replicaId }, leader ? 'cluster: this replica leads (alerts, retention, sweeps)' : 'cluster: this replica no longer leads');
  // the lock was tried once before the app was built: a replica leading from its start says so too
  if (app.cluster.isLeader()) said(true);
  const offs = [
    startLiveSync(app),
    startBusBridge(app),
    startCommandRelay(app),
    app.terminalRelay.start(),
    app.cluster.onLeadership((leader) => {
      said(leader);
      if (leader) void app.alerts.track(app.alerts.resume());
    }),
  ];
  return () => {
    for (const off of offs.reverse()) off();
  };
}
