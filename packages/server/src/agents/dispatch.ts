import type { AppContext } from '../app-context.ts';

/** One command for an agent in both wire forms (agent-protocol.md §6.7 and §7.4). */
export interface AgentCommand {
  v1: Record<string, unknown>;
  v2: { method: string; params: Record<string, unknown> };
  /** Komari writes ping and terminal frames with a trailing newline, exec frames without (§6.7). */
  newline?: boolean;
}

export type Delivery = 'sent' | 'queued' | 'offline';

/** A node a command can reach now: it has a socket, or it is an online POST-only v2 agent. */
export function isReachable(app: AppContext, uuid: string): boolean {
  return app.live.ownerOf(uuid) !== undefined || (app.live.protocolOf(uuid) === 2 && app.live.isOnline(uuid));
}

export interface DispatchOptions {
  /**
   * Only a socket or queue of this replica: for commands whose answer comes back on the agent's
   * socket to a caller waiting here (files, startup config), and for ping tasks, which every
   * replica schedules for the nodes it holds.
   */
  localOnly?: boolean;
}

/**
 * Sends a command the way the node can take it: on its socket in the form of the protocol it
 * speaks; on the replica that holds the node's socket (cluster/); for an online POST-only v2 node, as a queued event it picks up with its next report or
 * pull; otherwise it is offline. (Komari also queues for v2 nodes that have gone away; an offline
 * node is told apart here so exec can report it at once.)
 */
export function dispatchCommand(app: AppContext, uuid: string, cmd: AgentCommand, o: DispatchOptions = {}): Delivery {
  const conn = app.live.socketOf(uuid);
  if (conn) {
    const json =
      conn.protocol === 2 ? JSON.stringify({ jsonrpc: '2.0', method: cmd.v2.method, params: cmd.v2.params }) : JSON.stringify(cmd.v1);
    if (conn.send(cmd.newline ? `${json}\n` : json)) return 'sent';
  }
  const owner = o.localOnly ? undefined : app.live.ownerOf(uuid);
  if (owner && owner !== 'here') {
    // another replica holds the agent: it delivers (cluster/command-relay.ts)
    app.cluster.publish(`cmd.${owner}`, { uuid, cmd });
    return 'sent';
  }
  if (app.live.protocolOf(uuid) === 2 && app.live.isOnline(uuid)) {
    app.events.enqueue(uuid, cmd.v2.method, cmd.v2.params);
    return 'queued';
  }
  return 'offline';
}
