/**
 * Why an agent could not run a ping probe: komari-ts's optional `probe_error` on a ping result
 * (`agent.pingResult` params, the v1 `ping_result` frame and `POST /api/clients/ping/result`),
 * next to a value of -1. Komari and older komari-ts servers ignore the unknown key; the official
 * agent never sends it. A probe that ran and got no answer (a timeout, a refused TCP connect, an
 * HTTP 500) is a plain loss and carries no error. zod-free: the agent and the web import it.
 */
export const probeErrorCodes = [
  /** no `ping` program on the agent's host (icmp) */
  'no_ping_binary',
  /** `ping` exists but may not open an ICMP socket (no setuid, no CAP_NET_RAW, ping_group_range) */
  'permission_denied',
  /** the target's host name did not resolve */
  'resolve_failed',
  /** a target the probe cannot use (a tcp port out of range, an http URL that does not parse) */
  'invalid_target',
  /** a probe type this agent does not run */
  'unsupported',
  /** anything else that kept the probe from running (e.g. `ping` exiting with an error) */
  'other',
] as const;

export type ProbeErrorCode = (typeof probeErrorCodes)[number];

/** The extra field as it travels: a stable code and, from our agent, a short English detail. */
export interface ProbeErrorWire {
  code: ProbeErrorCode;
  /** one line, at most `probeErrorMessageMax` characters; never raw stderr of any length */
  message?: string;
}

/** The key on the ping result. */
export const probeErrorKey = 'probe_error';

/** The longest detail sent (agent) and kept (server: a longer one is cut). */
export const probeErrorMessageMax = 160;

export function isProbeErrorCode(v: unknown): v is ProbeErrorCode {
  return typeof v === 'string' && (probeErrorCodes as readonly string[]).includes(v);
}

/**
 * A detail made safe to keep and show: control characters (newlines, escapes, bidi overrides)
 * become spaces, runs of space collapse, and the text is cut to `max` characters (by code point,
 * never leaving half a surrogate pair), with `…` where it was cut. A huge input costs no more
 * than a short one.
 */
export function boundedProbeMessage(text: string, max = probeErrorMessageMax): string {
  const window = max * 8;
  const head = text.length > window ? text.slice(0, window).replace(/[\uD800-\uDBFF]$/, '') : text;
  // eslint-disable-next-line no-control-regex
  const flat = head.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim();
  const points = Array.from(flat);
  const cut = head !== text;
  if (points.length > max || (cut && points.length >= max)) return `${points.slice(0, max - 1).join('')}…`;
  return cut ? `${flat}…` : flat;
}
