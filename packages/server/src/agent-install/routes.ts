import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { sendError } from '../http/bind.ts';
import { AgentDownloads, type ServedFile } from './downloads.ts';
import { agentInstallRoutes } from './paths.ts';
import { RuntimeDownloads } from './runtime.ts';

/** A file held in memory, or 304 when the caller already has these bytes. */
function sendServed(request: FastifyRequest, reply: FastifyReply, file: ServedFile, type: string): FastifyReply {
  void reply.header('ETag', file.etag);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.type(type).header('content-length', file.body.length).send(file.body);
}

async function answer(reply: FastifyReply, work: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError) return sendError(reply, err);
    throw err;
  }
}

/**
 * `GET /api/agent/install.sh` (the POSIX sh installer the admin's install line pipes into `sh`),
 * `GET /api/agent/komari-agent.cjs` (the agent as one file) and `GET /api/agent/node?os=&arch=`
 * (this server's own Node runtime, for a host without Node >= 24): a new host needs to reach
 * only this server. None of them takes a path from the request.
 */
export function registerAgentInstallRoutes(fastify: FastifyInstance, app: AppContext): void {
  const downloads = new AgentDownloads(app.log, app.limits.agentInstall);
  const runtime = new RuntimeDownloads(app.limits.agentInstall, app.clock);
  fastify.get(agentInstallRoutes.script, (request, reply) =>
    answer(reply, async () => sendServed(request, reply, await downloads.script(), 'text/x-shellscript; charset=utf-8')),
  );
  fastify.get(agentInstallRoutes.bundle, (request, reply) =>
    answer(reply, async () => sendServed(request, reply, await downloads.bundle(), 'text/javascript; charset=utf-8')),
  );
  fastify.get(agentInstallRoutes.runtime, (request, reply) => answer(reply, () => runtime.send(request, reply)));
}
