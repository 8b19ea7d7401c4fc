import { z } from 'zod';
import type { MethodDef, MethodRegistry } from '../rpc/registry.ts';

export type JsonSchema = Record<string, unknown>;

/** `admin:addClient` → `admin_addClient`: OpenAPI component names allow no colon. */
export function componentName(method: string): string {
  return method.replaceAll(':', '_');
}

/**
 * A method's params as sent (before defaults and transforms), as JSON Schema 2020-12, which is
 * OpenAPI 3.1's. What JSON Schema cannot say (a refinement, a custom check) becomes `{}`: the
 * server still checks it, the document only says less.
 */
export function paramsSchema(def: MethodDef): JsonSchema {
  if (def.rawParams) return {};
  const schema = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete schema.$schema;
  return schema;
}

/** One component per registered method's params, named by componentName. */
export function paramsComponents(registry: MethodRegistry): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const name of registry.names()) {
    const def = registry.get(name)!;
    out[componentName(name)] = { ...paramsSchema(def), ...(def.summary ? { title: def.summary } : {}) };
  }
  return out;
}

/** The schema of one field of an object-shaped params schema, for a query or path parameter. */
export function fieldSchema(def: MethodDef | undefined, field: string): JsonSchema {
  const props = def && !def.rawParams ? (paramsSchema(def).properties as Record<string, JsonSchema> | undefined) : undefined;
  return props?.[field] ?? { type: 'string' };
}
