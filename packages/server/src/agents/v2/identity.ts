import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';

/**
 * The node a v2 request speaks for: the gate's agent identity, else the query `token` (an admin
 * session or API key that also carries an agent token, as in Komari). Undefined: -32001.
 */
export async function agentUuidOf(app: AppContext, request: FastifyRequest): Promise<string | undefined> {
  if (request.caller.kind === 'agent') return request.caller.node.uuid;
  const token = (request.query as Record<string, unknown> | undefined)?.token;
  if (typeof token !== 'string' || token === '') return undefined;
  return (await app.store.nodes.byToken(token))?.uuid;
}
