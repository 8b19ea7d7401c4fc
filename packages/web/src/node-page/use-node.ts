// The node as /api/nodes lists it for this viewer (a hidden node is absent for guests, which
// reads as "not found"), and for admins its agent version, which only the RPC gives them.
import { apiGet, rpc } from '../lib/api.ts';
import { useSession } from '../lib/session.tsx';
import { useAsync, type AsyncState } from '../lib/use-async.ts';
import type { NodeWire } from './node-wire.ts';

/** data: the node, or null when the server does not list it; nothing is asked until `ready`. */
export function useNode(uuid: string, ready: boolean): AsyncState<NodeWire | null | undefined> {
  return useAsync(
    async (signal) => (ready ? ((await apiGet<NodeWire[]>('/api/nodes', signal)).find((n) => n.uuid === uuid) ?? null) : undefined),
    [uuid, ready],
  );
}

export function useAgentVersion(uuid: string): string | undefined {
  const { me } = useSession();
  const admin = me?.logged_in === true;
  const { data } = useAsync(
    async () => (admin ? (await rpc<NodeWire>('common:getNodes', { uuid }).catch(() => undefined))?.version : undefined),
    [uuid, admin],
  );
  return data;
}
