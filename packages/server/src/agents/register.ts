import { failureStatusOf } from '../errors.ts';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AddressLimiter } from '../auth/login-throttle.ts';
import { randomToken } from '../auth/random-token.ts';
import { tooMany } from '../http/too-many.ts';
import { createNode } from '../methods/nodes-admin.ts';

/** Komari refuses every registration while the key is shorter than this (auth.md §9). */
const minKeyLength = 12;
/** node names are at most 100 characters elsewhere (admin:addClient); a longer host name is cut */
const maxNameLength = 100;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `Authorization: Bearer <auto_discovery_key>`, exact scheme and one space, as Komari reads it. */
function keyAccepted(app: AppContext, request: FastifyRequest): boolean {
  const key = app.settings.get('auto_discovery_key');
  const auth = request.headers.authorization ?? '';
  return key.length >= minKeyLength && sameSecret(auth, `Bearer ${key}`);
}

function nameOf(request: FastifyRequest): string {
  const raw = (request.query as Record<string, unknown> | undefined)?.name;
  const name = Array.isArray(raw) ? raw[0] : raw;
  return typeof name === 'string' && name !== '' ? name : randomToken(8);
}

/**
 * `POST /api/clients/register?name=N` (agent-protocol.md §9): a new node `Auto-<N>` (or
 * `Auto-<8 random>`) per call, no de-duplication; the body is ignored, as in Komari. createNode
 * adds the node to the default-on ping tasks.
 */
async function register(app: AppContext, failures: AddressLimiter, request: FastifyRequest, reply: FastifyReply) {
  // The lock is checked before the key, so a locked address learns nothing about its guesses.
  const wait = failures.retryAfterSec(request.ip);
  if (wait > 0) return tooMany(reply, wait, { message: `Too many invalid keys, try again in ${wait} seconds` });
  if (!keyAccepted(app, request)) {
    failures.fail(request.ip);
    return reply.code(403).send({ status: 'error', message: 'Invalid AutoDiscovery Key' });
  }
  let created;
  try {
    created = await createNode(app, `Auto-${nameOf(request)}`.slice(0, maxNameLength));
  } catch (err) {
    return reply.code(failureStatusOf(err)).send({ status: 'error', message: `Failed to create client: ${(err as Error).message}` });
  }
  return reply.send({ status: 'success', message: '', data: { uuid: created.uuid, token: created.token } });
}

/** Auto-discovery: outside the agent role gate (gates.ts exempts this path); its own key check. */
export function registerAutoDiscoveryRoute(fastify: FastifyInstance, app: AppContext): void {
  // The key is a bearer secret that creates nodes (Komari never limits guesses at it).
  const failures = new AddressLimiter(app.limits.agents.registerPerIp, app.clock);
  fastify.post('/api/clients/register', (request, reply) => register(app, failures, request, reply));
}
