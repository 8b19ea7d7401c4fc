import type { RestRender } from '@komari-ts/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { AppError, httpStatusOf, toAppError } from '../errors.ts';
import { invoke } from '../rpc/dispatch.ts';
import { jsonBody } from './json-body.ts';

/** One REST route bound onto an RPC method (rpc2.md §11). */
export interface Binding {
  method: 'GET' | 'POST';
  url: string;
  rpc: string;
  render?: RestRender;
  /** fixed success `message` (e.g. "settings saved") */
  message?: string;
  /** query parameter names forwarded into params (others are ignored) */
  query?: readonly string[];
}

function pathParamNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z_]+)/g)].map((m) => m[1]!);
}

/** Body keys, then path params, then declared query params; later sources overwrite earlier. */
function assembleParams(request: FastifyRequest, b: Binding, body: unknown): unknown {
  const pathNames = pathParamNames(b.url);
  const queryNames = b.query ?? [];
  // An array or a scalar body is passed through as params when the route declares none of its
  // own: a method expecting an object then refuses it (komari-ts is stricter than Komari here,
  // which turns a scalar body into {}).
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  if (body !== undefined && body !== null && !isObject && pathNames.length === 0 && queryNames.length === 0) return body;
  if (body !== undefined && body !== null && !isObject) throw AppError.invalidParams('Invalid or missing request body');
  const params: Record<string, unknown> = isObject ? { ...(body as object) } : {};
  const pathValues = request.params as Record<string, string | undefined>;
  const queryValues = request.query as Record<string, unknown>;
  for (const n of pathNames) if (pathValues[n]) params[n] = pathValues[n];
  for (const n of queryNames) {
    const v = queryValues[n];
    if (typeof v === 'string' && v !== '') params[n] = v;
  }
  return params;
}

export function sendError(reply: FastifyReply, err: AppError): FastifyReply {
  return reply.code(httpStatusOf(err.code)).send({ status: 'error', message: err.message });
}

function render(reply: FastifyReply, b: Binding, result: unknown): FastifyReply {
  switch (b.render ?? 'standard') {
    case 'raw':
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(result ?? null));
    case 'flat': {
      const spread = result !== null && typeof result === 'object' && !Array.isArray(result) ? result : {};
      return reply.send({ status: 'success', ...spread });
    }
    default: {
      const body: Record<string, unknown> = { status: 'success', message: b.message ?? '' };
      if (result !== undefined && result !== null) body.data = result;
      return reply.send(body);
    }
  }
}

export function bindRoute(fastify: FastifyInstance, app: AppContext, b: Binding): void {
  fastify.route({
    method: b.method,
    url: b.url,
    handler: async (request, reply) => {
      const body = jsonBody(request);
      // Komari decodes any non-empty body, so whitespace alone is "not valid JSON" too.
      const blank = body.ok && body.empty && typeof request.body === 'string' && request.body !== '';
      if (!body.ok || blank) return reply.code(400).send({ status: 'error', message: 'Invalid or missing request body' });
      try {
        const params = assembleParams(request, b, body.value);
        return render(reply, b, await invoke(app, request.caller, b.rpc, params));
      } catch (err) {
        if (!(err instanceof AppError)) request.log.error({ err, rpc: b.rpc }, 'bound route failed');
        return sendError(reply, toAppError(err));
      }
    },
  });
}

export function bindRoutes(fastify: FastifyInstance, app: AppContext, bindings: readonly Binding[]): void {
  for (const b of bindings) bindRoute(fastify, app, b);
}
