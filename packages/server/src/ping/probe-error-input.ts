import { boundedProbeMessage, isProbeErrorCode, type ProbeErrorCode } from '@komari-ts/protocol/probe-error';
import { z } from 'zod';

/**
 * `probe_error` on a ping result: komari-ts's optional extension, which Komari ignores and the
 * official agent never sends (so a result without it is handled exactly as before). Its shape is
 * checked like the result's other fields: a non-object, or a `code`/`message` that is not a
 * string, refuses the whole result with the transport's usual error. Its content is bounded, not
 * refused: an unknown code (a newer agent's) is kept as `other`, and the detail is cut and
 * cleaned by `probeErrorOf`.
 */
export const probeErrorField = z
  .object({
    code: z.string(),
    message: z.string().nullish(),
  })
  .nullish();

export type ProbeErrorField = z.output<typeof probeErrorField>;

export interface ProbeErrorInput {
  code: ProbeErrorCode;
  message?: string;
}

/** The reason to keep, or undefined for none; never longer than `maxMessageLength` characters. */
export function probeErrorOf(field: ProbeErrorField, maxMessageLength: number): ProbeErrorInput | undefined {
  if (!field) return undefined;
  const code = isProbeErrorCode(field.code) ? field.code : 'other';
  const message = field.message ? boundedProbeMessage(field.message, maxMessageLength) : '';
  return message ? { code, message } : { code };
}
