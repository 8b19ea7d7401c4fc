import { requiredRole } from '../rpc/acl.ts';
import type { MethodRegistry } from '../rpc/registry.ts';
import { docRoleOf } from './paths.ts';
import { componentName, type JsonSchema } from './schemas.ts';
import type { Operation } from './operations.ts';

/** One JSON-RPC request calling `method`, its params described by the method's component. */
function requestFor(method: string, summary: string | undefined): JsonSchema {
  return {
    type: 'object',
    title: method,
    ...(summary ? { description: summary } : {}),
    required: ['jsonrpc', 'method'],
    properties: {
      jsonrpc: { const: '2.0' },
      method: { const: method },
      params: { $ref: `#/components/schemas/${componentName(method)}` },
      id: { type: ['string', 'number', 'null'] },
    },
  };
}

/**
 * What POST /api/rpc2 adds to its operation: every registered method, with the role the ACL
 * asks of its caller, as a list (`x-komari-rpc-methods`) and as the request body's `oneOf`
 * (one request or a batch of them).
 */
export function rpc2Parts(registry: MethodRegistry): Operation {
  const methods = registry.names().map((name) => {
    const def = registry.get(name)!;
    return { name, role: docRoleOf(requiredRole(name)), ...(def.summary ? { summary: def.summary } : {}), params: { $ref: `#/components/schemas/${componentName(name)}` } };
  });
  const one = { oneOf: methods.map((m) => requestFor(m.name, m.summary)) };
  return {
    summary: 'JSON-RPC 2.0: one request, or a batch (an array); the same methods over a WebSocket on GET',
    'x-komari-rpc-methods': methods,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/RpcRequest' }, { type: 'array', items: { $ref: '#/components/schemas/RpcRequest' } }] } } },
    },
    responses: { '200': { description: 'the JSON-RPC response (an array for a batch); a method the caller may not call answers error -32041' } },
    components: { RpcRequest: one },
  };
}
