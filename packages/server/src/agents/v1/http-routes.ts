import { failureStatusOf } from '../../errors.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.ts';
import { jsonBody } from '../../http/json-body.ts';
import { saveBasicInfo } from '../basic-info.ts';
import { ingestReport, parseReport, ReportShapeError } from '../ingest.ts';
import { v1ReportPath } from './frames.ts';

/** The query `token` as a string ('' when absent or repeated into something else). */
export function queryToken(request: FastifyRequest): string {
  const t = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof t === 'string' ? t : '';
}

/**
 * `POST /api/clients/report` (agent-protocol.md §6.2). The token may be in the query or the body
 * (the gate resolves both). A body `uuid` is ignored: a token writes only its own node
 * (spec/README.md decision 4), so a caller without an agent token has no UUID at all.
 */
async function postReport(app: AppContext, request: FastifyRequest, reply: FastifyReply) {
  const body = jsonBody(request);
  if (!body.ok || body.empty) return reply.code(400).send({ error: 'Invalid request body' });
  let report;
  try {
    report = parseReport(body.value);
  } catch (err) {
    if (err instanceof ReportShapeError) return reply.code(400).send({ error: 'Invalid request body' });
    throw err;
  }
  if (request.caller.kind !== 'agent') return reply.code(400).send({ error: 'UUID is required' });
  try {
    ingestReport(app, request.caller.node.uuid, report, { presence: true, protocol: 1 });
  } catch (err) {
    return reply.code(500).send({ error: (err as Error).message });
  }
  return reply.send({ status: 'success' });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * `POST /api/clients/uploadBasicInfo` (§6.3, §4.2, §4.3): the body is checked first, then the
 * query `token` alone names the node (a body token or `?Authorization=` passes the gate but not
 * this check). When the agent sent neither address, the request's address is saved (v1 only).
 * A save error answers 500 (503 when the database is full or down) with the message as a string where Komari JSON-encodes the Go error
 * value (`{}`): agents look only at the status, and the text says what was wrong.
 */
async function uploadBasicInfo(app: AppContext, request: FastifyRequest, reply: FastifyReply) {
  const body = jsonBody(request);
  if (!body.ok || !isObject(body.value)) {
    return reply.code(400).send({ status: 'error', error: 'Invalid or missing data' });
  }
  const token = queryToken(request);
  const node = token ? await app.store.nodes.byToken(token) : undefined;
  if (!node) return reply.code(400).send({ status: 'error', error: 'Invalid token' });
  try {
    await saveBasicInfo(app, node.uuid, body.value, request.ip);
  } catch (err) {
    return reply.code(failureStatusOf(err)).send({ status: 'error', error: (err as Error).message });
  }
  return reply.send({ status: 'success' });
}

/** The two v1 HTTP routes; Fastify answers them with `Content-Length` and no compression. */
export function registerV1HttpRoutes(fastify: FastifyInstance, app: AppContext): void {
  fastify.post(v1ReportPath, (request, reply) => postReport(app, request, reply));
  fastify.post('/api/clients/uploadBasicInfo', (request, reply) => uploadBasicInfo(app, request, reply));
}
