import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { MethodDef } from './registry.ts';

function declaredKeys(def: MethodDef): string[] {
  return def.params instanceof z.ZodObject ? Object.keys(def.params.shape as object) : [];
}

function define(out: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, not assignment: a `__proto__` key stays a plain key instead of a prototype.
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Named-param keys match declared fields case-insensitively (`UUID` = `uuid`). Komari re-marshals
 * params through a Go map, which sorts keys, before decoding them into the struct: of several
 * spellings of one field, the one sorting last wins, whatever the order sent. Other keys are
 * kept as sent.
 */
function normaliseKeys(input: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const byLower = new Map(keys.map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (!byLower.has(k.toLowerCase())) define(out, k, v);
  for (const k of Object.keys(input).sort()) {
    const target = byLower.get(k.toLowerCase());
    if (target !== undefined) define(out, target, input[k]);
  }
  return out;
}

/** Shapes raw JSON-RPC params (object, array, scalar, absent) into the method's named object. */
export function shapeParams(def: MethodDef, raw: unknown): Record<string, unknown> {
  const keys = declaredKeys(def);
  const order = def.positional ?? keys;
  if (raw === undefined || raw === null) return {};
  // A map-typed method (z.record) has no fields to fill: like Go decoding into a map, an array
  // or scalar cannot bind to it. Named-only methods refuse them too.
  const mapTyped = !(def.params instanceof z.ZodObject) && !def.positional;
  if ((mapTyped || def.namedOnly) && (Array.isArray(raw) || typeof raw !== 'object')) {
    throw AppError.invalidParams(`${def.bindError ?? 'Invalid request body'}: params must be a JSON object`);
  }
  let out: Record<string, unknown>;
  if (Array.isArray(raw)) {
    out = {};
    raw.slice(0, order.length).forEach((v, i) => define(out, order[i]!, v));
  } else if (typeof raw === 'object') {
    out = normaliseKeys(raw as Record<string, unknown>, keys);
  } else {
    const first = order[0];
    out = first === undefined ? {} : { [first]: raw };
  }
  return withoutNulls(def, out);
}

/** JSON null leaves a Go struct field at its zero value: drop it unless the field takes null. */
function withoutNulls(def: MethodDef, params: Record<string, unknown>): Record<string, unknown> {
  if (!(def.params instanceof z.ZodObject)) return params;
  const shape = def.params.shape as Record<string, z.ZodType>;
  for (const [k, field] of Object.entries(shape)) {
    if (params[k] === null && !field.safeParse(null).success) delete params[k];
  }
  return params;
}

export function formatZodError(err: z.ZodError): string {
  return err.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Validates shaped params against the method's schema; -32602 with a readable reason. */
export function bindParams(def: MethodDef, raw: unknown): unknown {
  const parsed = def.params.safeParse(def.rawParams ? raw : shapeParams(def, raw));
  if (!parsed.success) {
    throw AppError.invalidParams(`${def.bindError ?? 'Invalid request body'}: ${formatZodError(parsed.error)}`);
  }
  return parsed.data;
}
