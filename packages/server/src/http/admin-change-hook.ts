import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';

/**
 * Any admin request that may have changed something stored (not a GET, not refused) tells the
 * bus, so other replicas re-read what they hold in memory (cluster/bus-bridge.ts). Re-reading
 * too often is cheap; missing a change is the bug, so this errs on the side of telling. RPC calls
 * tell from rpc/dispatch.ts.
 */
export function registerAdminChangeHook(fastify: FastifyInstance, app: AppContext): void {
  if (!app.cluster.joined) return;
  fastify.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || reply.statusCode >= 400) return;
    const path = request.url.split('?', 1)[0]!;
    if (path === '/api/admin' || path.startsWith('/api/admin/')) app.bus.publish('admin.changed', { what: path });
  });
}
