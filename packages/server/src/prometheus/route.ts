import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { sendError } from '../http/bind.ts';
import { isAdmin, refusal } from '../rpc/caller.ts';
import { ExpositionWriter, expositionContentType } from './exposition.ts';
import { nodeLabels, writeNodeGauges } from './node-gauges.ts';
import { writePingGauges } from './ping-gauges.ts';
import { writeServerGauges } from './server-gauges.ts';

/** One scrape, built from memory: the node rows are the store's cached copy, the rest live state. */
export async function buildExposition(app: AppContext): Promise<string> {
  const nodes = await app.store.nodes.list();
  const labels = new Map(nodes.map((n) => [n.uuid, nodeLabels(n)]));
  const out = new ExpositionWriter();
  await writeServerGauges(app, out, nodes.length);
  writeNodeGauges(app, out, nodes, labels);
  writePingGauges(app, out, new Map(nodes.map((n) => [n.uuid, n.name])));
  return out.text();
}

/**
 * `GET /metrics`, Prometheus's text format. Admins only: the API key as a bearer token (what a
 * Prometheus server sends) or an admin session; anyone else gets the JSON 401 of other routes.
 */
export function registerPrometheusRoute(fastify: FastifyInstance, app: AppContext): void {
  fastify.get('/metrics', async (request, reply) => {
    if (!isAdmin(request.caller)) return sendError(reply, refusal(request.caller, 'Unauthorized.'));
    const text = await buildExposition(app);
    return reply.header('Cache-Control', 'no-store').type(expositionContentType).send(text);
  });
}
