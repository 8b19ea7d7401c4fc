import { pingResultSchema } from '../../ping/results.ts';

export const v1ReportPath = '/api/clients/report';

/** The error texts of the v1 socket, exactly as Komari words them (agent-protocol.md §6.1). */
export const v1Errors = {
  invalidJson: 'Invalid JSON',
  invalidReport: 'Invalid report format',
  invalidPingResult: 'Invalid ping result format',
  savePingResult: 'Failed to save ping result',
  unknownType: 'Unknown message type',
  /** AWAIT_FIRST with no usable query `token`: Komari's error string is empty */
  noToken: '',
} as const;

/**
 * One error reply frame. Komari writes `gin.H` through its streaming encoder: keys sorted, and a
 * trailing newline (agent-protocol.md §2).
 */
export function errorFrame(message: string): string {
  return `${JSON.stringify({ error: message, status: 'error' })}\n`;
}

export type V1Frame =
  | { kind: 'invalid-json' }
  | { kind: 'report'; value: unknown }
  | { kind: 'ping_result'; value: unknown }
  | { kind: 'unknown'; type: string };

/**
 * Sorts one agent frame by its `type` (agent-protocol.md §6.1). As Komari decodes the frame into
 * `struct{Type string}` first, anything that is not a JSON object (or null), or a `type` that is
 * not a string, counts as invalid JSON.
 */
export function classifyFrame(text: string): V1Frame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid-json' };
  }
  if (value === null) return { kind: 'report', value };
  if (typeof value !== 'object' || Array.isArray(value)) return { kind: 'invalid-json' };
  const type = (value as Record<string, unknown>).type ?? '';
  if (typeof type !== 'string') return { kind: 'invalid-json' };
  if (type === '' || type === 'report') return { kind: 'report', value };
  if (type === 'ping_result') return { kind: 'ping_result', value };
  return { kind: 'unknown', type };
}

/**
 * `{"type":"ping_result","task_id":3,"value":23,...}`: Komari decodes `task_id` as an unsigned
 * and `value` as a signed integer (ms, -1 = loss), `ping_type` (if present) as a string; the
 * value of `finished_at` is ignored (agent-protocol.md §12). The same shape as the other transports.
 */
export const v1PingResultSchema = pingResultSchema;
