import type { NodeWire } from '@komari-ts/protocol';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { isAdmin, type Caller } from '../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';
import { byWeight, maskIp, toNodeWire, withoutPrivateKeys } from '../services/node-wire.ts';
import type { NodeRow } from '../store/types.ts';

async function visibleNodes(app: AppContext, caller: Caller): Promise<NodeRow[]> {
  const all = byWeight(await app.store.nodes.list());
  return isAdmin(caller) ? all : all.filter((n) => !n.hidden);
}

/** common:getNodes for a non-admin: private keys gone, IPs masked only if the site allows it. */
function guestView(app: AppContext, n: NodeRow): NodeWire {
  const w = withoutPrivateKeys(toNodeWire(n));
  if (app.settings.get('send_ip_addr_to_guest')) {
    if (n.ipv4) w.ipv4 = maskIp(n.ipv4, false);
    if (n.ipv6) w.ipv6 = maskIp(n.ipv6, true);
  }
  return w;
}

export const nodePublicMethods: MethodDef[] = [
  defineMethod({
    name: 'public:getNodesInformation',
    summary: 'Visible nodes in weight order, without private keys (REST /api/nodes)',
    params: noParams,
    handler: async (_p, { app, caller }) => (await visibleNodes(app, caller)).map((n) => withoutPrivateKeys(toNodeWire(n))),
  }),
  defineMethod({
    name: 'common:getNodes',
    summary: 'Visible nodes keyed by uuid, or one node',
    params: z.object({ uuid: z.string().optional() }),
    positional: ['uuid'],
    handler: async ({ uuid }, { app, caller }) => {
      const view = (n: NodeRow) => (isAdmin(caller) ? toNodeWire(n) : guestView(app, n));
      const nodes = await visibleNodes(app, caller);
      if (uuid) {
        const node = nodes.find((n) => n.uuid === uuid);
        if (!node) throw AppError.invalidParams('Node not found', uuid);
        return view(node);
      }
      return Object.fromEntries(nodes.map((n) => [n.uuid, view(n)]));
    },
  }),
];
