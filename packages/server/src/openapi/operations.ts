import type { Binding } from '../http/bind.ts';
import { isApiPath } from '../http/cors.ts';
import { openOnPrivateSite } from '../http/gates.ts';
import type { RouteRecord } from '../http/route-table.ts';
import { requiredRole } from '../rpc/acl.ts';
import type { MethodRegistry } from '../rpc/registry.ts';
import { routeRole, templateOf, wildcardName, type DocRole } from './paths.ts';
import { componentName, fieldSchema, type JsonSchema } from './schemas.ts';

export type Operation = Record<string, unknown>;

/** The security requirement objects each role accepts (components.securitySchemes). */
export const securityOf: Record<DocRole, Array<Record<string, string[]>>> = {
  guest: [{}, { session: [] }, { apiKey: [] }],
  admin: [{ session: [] }, { apiKey: [] }],
  agent: [{ agentToken: [] }, { session: [] }, { apiKey: [] }],
};

const envelopes: Record<string, string> = {
  standard: '`{status: "success", message, data}`',
  flat: '`{status: "success", ...result}`',
  raw: 'the result as JSON, unwrapped',
};

function parametersOf(route: RouteRecord, binding: Binding | undefined, registry: MethodRegistry): JsonSchema[] {
  const def = binding ? registry.get(binding.rpc) : undefined;
  const inPath = templateOf(route.url).params.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: name === wildcardName ? { type: 'string', description: 'the rest of the path, slashes included' } : fieldSchema(def, name),
  }));
  const inQuery = (binding?.query ?? []).map((name) => ({ name, in: 'query', schema: fieldSchema(def, name) }));
  return [...inPath, ...inQuery];
}

/** What a bound route adds: its method's summary, params schema and answer envelope. */
function boundParts(binding: Binding, registry: MethodRegistry): Operation {
  const def = registry.get(binding.rpc);
  const op: Operation = { 'x-komari-rpc': binding.rpc };
  if (def?.summary) op.summary = def.summary;
  if (def?.description) op.description = def.description;
  if (binding.method === 'POST' && def) {
    op.requestBody = {
      description: 'the method\'s params; path parameters fill the fields of the same name',
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${componentName(binding.rpc)}` } } },
    };
  }
  op.responses = { '200': { description: `success: ${envelopes[binding.render ?? 'standard']}` }, default: { description: 'an error: `{status: "error", message}`' } };
  return op;
}

/**
 * The OpenAPI operation of one route and method. Its role is the path's gate, else the bound
 * method's ACL role; on a guest's operation, `x-komari-private-site` says whether a guest still
 * reaches it when the site is private (`open`) or must sign in (`login`).
 */
export function operationOf(route: RouteRecord, binding: Binding | undefined, registry: MethodRegistry): Operation {
  const role = routeRole(route.url, binding ? requiredRole(binding.rpc) : undefined);
  const op: Operation = {
    operationId: `${route.method} ${route.url}`,
    tags: [role],
    'x-komari-role': role,
    security: securityOf[role],
    responses: { default: { description: 'see the route\'s documentation' } },
  };
  if (role === 'guest') op['x-komari-private-site'] = !isApiPath(route.url) || openOnPrivateSite(route.url, route.url) ? 'open' : 'login';
  if (route.websocket) op['x-komari-websocket'] = true;
  const parameters = parametersOf(route, binding, registry);
  if (parameters.length > 0) op.parameters = parameters;
  return binding ? { ...op, ...boundParts(binding, registry) } : op;
}
