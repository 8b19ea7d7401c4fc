import type { Binding } from '../http/bind.ts';
import type { RouteRecord } from '../http/route-table.ts';
import type { MethodRegistry } from '../rpc/registry.ts';
import { operationOf, type Operation } from './operations.ts';
import { templateOf } from './paths.ts';
import { rpc2Parts } from './rpc2.ts';
import { paramsComponents } from './schemas.ts';

/** The methods an OpenAPI 3.1 path item has a field for; others (QUERY) go to an extension. */
const pathItemMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

export interface OpenApiSources {
  /** the app's route table (http/route-table.ts), complete */
  routes: readonly RouteRecord[];
  registry: MethodRegistry;
  /** the REST routes bound onto RPC methods (http/routes/bindings.ts) */
  bindings: readonly Binding[];
  version: string;
}

const securitySchemes = {
  session: { type: 'apiKey', in: 'cookie', name: 'session_token', description: 'the session cookie POST /api/login sets' },
  apiKey: { type: 'http', scheme: 'bearer', description: 'the API key of the settings (`api_key`): admin rights' },
  agentToken: { type: 'apiKey', in: 'query', name: 'token', description: "a node's token (also a JSON body `token` on POST)" },
};

/**
 * The server's OpenAPI 3.1 document, built from what the server runs: every route of the route
 * table with its methods, the bound ones with their RPC method's params schema, and every RPC
 * method under POST /api/rpc2. Nothing is listed here by hand.
 */
export function buildOpenApi(src: OpenApiSources): Record<string, unknown> {
  const bound = new Map(src.bindings.map((b) => [`${b.method} ${b.url}`, b]));
  const schemas: Record<string, unknown> = paramsComponents(src.registry);
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of src.routes) {
    const item = (paths[templateOf(route.url).path] ??= {});
    let op = operationOf(route, bound.get(`${route.method} ${route.url}`), src.registry);
    if (route.url === '/api/rpc2' && route.method === 'POST') {
      const { components, ...parts } = rpc2Parts(src.registry);
      Object.assign(schemas, components);
      op = { ...op, ...parts };
    }
    const key = route.method.toLowerCase();
    if (pathItemMethods.has(key)) item[key] = op;
    else ((item['x-komari-additional-operations'] ??= {}) as Record<string, Operation>)[route.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'komari-ts',
      version: src.version,
      description:
        'Komari-compatible server monitoring. `x-komari-role` is who may call an operation (guest, agent, admin); ' +
        '`x-komari-private-site` whether a guest still may when the site is private; `x-komari-rpc` the JSON-RPC method a REST route is bound to.',
    },
    paths,
    components: { schemas, securitySchemes },
  };
}
