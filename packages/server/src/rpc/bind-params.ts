import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { MethodDef } from './registry.ts';

function declaredKeys(def: MethodDef): string[] {
  return def.params instanceof z.ZodObject ? Object.keys(def.params.shape as object) : [];
}

/** Named-param keys match case-insensitively (`UUID` = `uuid`, `maxcount` = `maxCount`). */
function normaliseKeys(input: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const byLower = new Map(keys.map((k) => [k.toLowerCase(), k]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    const target = byLower.get(k.toLowerCase()) ?? k;
    if (target !== k && Object.hasOwn(input, target)) continue; // the exact spelling wins
    out[target] = v;
  }
  return out;
}

/** Shapes raw JSON-RPC params (object, array, scalar, absent) into the method's named object. */
export function shapeParams(def: MethodDef, raw: unknown): Record<string, unknown> {
  const keys = declaredKeys(def);
  const order = def.positional ?? keys;
  if (raw === undefined || raw === null) return {};
  if (Array.isArray(raw)) {
    const out: Record<string, unknown> = {};
    raw.slice(0, order.length).forEach((v, i) => {
      out[order[i]!] = v;
    });
    return out;
  }
  if (typeof raw === 'object') return normaliseKeys(raw as Record<string, unknown>, keys);
  const first = order[0];
  return first === undefined ? {} : { [first]: raw };
}

export function formatZodError(err: z.ZodError): string {
  return err.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Validates shaped params against the method's schema; -32602 with a readable reason. */
export function bindParams(def: MethodDef, raw: unknown): unknown {
  const parsed = def.params.safeParse(shapeParams(def, raw));
  if (!parsed.success) throw AppError.invalidParams(`Invalid request body: ${formatZodError(parsed.error)}`);
  return parsed.data;
}
