import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import type { Caller } from './caller.ts';

/** What a handler sees besides its params. */
export interface CallContext {
  caller: Caller;
  app: AppContext;
  /** the params as sent, before the schema dropped unknown keys (a `2fa_code` beside them) */
  rawParams?: unknown;
}

export interface MethodParamMeta {
  name: string;
  type?: string;
  required?: boolean;
  description?: string;
}

/**
 * One JSON method: its name (`namespace:lowerCamel`), its params schema, and its handler. The
 * handler returns the result; `undefined` means "no result" (the `result` key is omitted, and
 * REST bindings omit `data`). Failures are thrown as AppError.
 */
export interface MethodDef<S extends z.ZodType = z.ZodType> {
  name: string;
  summary?: string;
  description?: string;
  params: S;
  /** Field order for positional (array) params and the field a scalar param fills. */
  positional?: readonly string[];
  /**
   * Prefix of the -32602 message when params fail validation; default "Invalid request body"
   * (Komari's map-typed admin methods say "Invalid or missing request body").
   */
  bindError?: string;
  /** Refuse positional (array) and scalar params: the method only makes sense with named ones. */
  namedOnly?: boolean;
  /**
   * The params are the request's value as sent, unshaped: Komari's array-taking methods
   * (`admin:editOfflineNotification` takes `[{client,…}]`, REST and RPC alike).
   */
  rawParams?: boolean;
  /** Needs the 2FA re-check of auth.md §7. */
  sensitive?: boolean;
  handler(params: z.output<S>, ctx: CallContext): unknown;
}

/** Helps TypeScript infer the handler's params from the schema. */
export function defineMethod<S extends z.ZodType>(def: MethodDef<S>): MethodDef<S> {
  return def;
}

export const noParams = z.object({});

export interface MethodMeta {
  name: string;
  summary?: string;
  description?: string;
  params?: MethodParamMeta[];
}

export class MethodRegistry {
  readonly #methods = new Map<string, MethodDef>();

  add(...defs: MethodDef[]): this {
    for (const def of defs) {
      if (this.#methods.has(def.name)) throw new Error(`RPC method registered twice: ${def.name}`);
      this.#methods.set(def.name, def);
    }
    return this;
  }

  get(name: string): MethodDef | undefined {
    return this.#methods.get(name);
  }

  names(): string[] {
    return [...this.#methods.keys()].sort();
  }

  meta(name: string): MethodMeta | undefined {
    const def = this.#methods.get(name);
    if (!def) return undefined;
    const meta: MethodMeta = { name: def.name };
    if (def.summary) meta.summary = def.summary;
    if (def.description) meta.description = def.description;
    const shape = def.params instanceof z.ZodObject ? (def.params.shape as Record<string, z.ZodType>) : undefined;
    if (shape && Object.keys(shape).length > 0) {
      meta.params = Object.entries(shape).map(([pname, schema]) => {
        const p: MethodParamMeta = { name: pname, type: schema.def.type };
        if (!schema.safeParse(undefined).success) p.required = true;
        if (schema.description) p.description = schema.description;
        return p;
      });
    }
    return meta;
  }
}
