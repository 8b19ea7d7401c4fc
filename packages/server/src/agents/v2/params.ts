import { V2Code, V2Failure } from './envelope.ts';

/** The shapes agent.* params must have; each failure is -32602 with the method's message. */
export function invalidParams(message: string, data: string): V2Failure {
  return new V2Failure(V2Code.InvalidParams, message, data);
}

/** `params` as an object; absent or null is an empty one (Komari binds `null` to a zero struct). */
export function paramsObject(params: unknown, message: string): Record<string, unknown> {
  if (params === undefined || params === null) return {};
  if (typeof params !== 'object' || Array.isArray(params)) throw invalidParams(message, 'params must be a JSON object');
  return params as Record<string, unknown>;
}

/**
 * `ack_event_ids`: strings, or numbers converted to their decimal string (spec decision 3: a
 * third-party C agent sends numbers; Komari refuses them with -32602). Null elements are skipped.
 */
export function ackIds(value: unknown, message: string): string[] {
  if (value === undefined || value === null) return [];
  const bad = () => invalidParams(message, 'ack_event_ids must be an array of strings or numbers');
  if (!Array.isArray(value)) throw bad();
  const ids: string[] = [];
  for (const v of value) {
    if (v === null) continue;
    if (typeof v === 'string') ids.push(v);
    else if (typeof v === 'number' && Number.isFinite(v)) ids.push(String(v));
    else throw bad();
  }
  return ids;
}

/** An optional list of strings (`capabilities`); undefined when absent or null. */
export function checkStringList(value: unknown, name: string, message: string): Array<string | null> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => v !== null && typeof v !== 'string')) {
    throw invalidParams(message, `${name} must be an array of strings`);
  }
  return value as Array<string | null>;
}

/** An optional string (`last_event_id`). */
export function checkString(value: unknown, name: string, message: string): void {
  if (value !== undefined && value !== null && typeof value !== 'string') throw invalidParams(message, `${name} must be a string`);
}

/** The text of a storage or validation failure, for `data`. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
