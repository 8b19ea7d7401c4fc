import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { sendError } from '../http/bind.ts';
import { isAdmin, refusal } from '../rpc/caller.ts';
import { ExpositionWriter, expositionContentType } from './exposition.ts';
import { nodeLabels, writeNodeGauges } from './node-gauges.ts';
import { writePingGauges } from './ping-gauges.ts';
import { writeServerGauges } from './server-gauges.ts';

const gzipAsync = promisify(gzip);

/** Prometheus asks for gzip; a q of 0 refuses it (RFC 9110 §12.5.3). */
function acceptsGzip(request: FastifyRequest): boolean {
  const header = String(request.headers['accept-encoding'] ?? '');
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

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
    void reply.header('Cache-Control', 'no-store').header('Vary', 'Accept-Encoding').type(expositionContentType);
    // A thousand nodes are ~3.5 MiB of text and ~10 times less gzipped; zlib's thread pool does
    // the work, not the event loop. Level 1: the repeated labels compress well at any level.
    if (!acceptsGzip(request)) return reply.send(text);
    return reply.header('Content-Encoding', 'gzip').send(await gzipAsync(text, { level: 1 }));
  });
}
