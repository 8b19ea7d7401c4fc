// The admin's list of nodes (GET /api/admin/client/list: a bare array, unsorted), in the order the
// admin sets on the nodes page: ascending weight (stable, so ties keep the server's order), as
// Komari's own UI sorts it.
import type { NodeWire } from '@komari-ts/protocol';
import { apiGet } from '../../lib/api.ts';

export type AdminNode = Pick<NodeWire, 'uuid' | 'name' | 'weight'>;

export async function loadAdminNodes(signal?: AbortSignal): Promise<NodeWire[]> {
  const list = await apiGet<NodeWire[]>('/api/admin/client/list', signal);
  return [...(list ?? [])].sort((a, b) => a.weight - b.weight);
}

/** uuid → name, falling back to the uuid's first block for a node that no longer exists. */
export function nodeNamer(nodes: readonly AdminNode[] | undefined): (uuid: string) => string {
  const names = new Map((nodes ?? []).map((n) => [n.uuid, n.name]));
  return (uuid) => names.get(uuid) || uuid.slice(0, 8);
}
