// Stable codes for the server's error messages. The wire keeps Komari's envelope
// (`{status, message}` and JSON-RPC `{code, message}`): the official UI reads only `message`, and
// every client compares those bodies whole, so no field is added. Instead each English sentence
// the server words is listed here once with a code; a client finds the code from the message and
// shows its own language. A server test pins the sentences, so a reworded one fails there first.

/** Sentences the server words from these constants (and nowhere else). */
export const serverMessages = {
  /** Komari's own text for an add without servers (admin-api.md §4) */
  pingClientsRequired: 'clients is required when default_on is false',
  /** komari-ts: default_on alone would run the task on no server today */
  pingNoServerToday: 'clients is required unless all is true: default_on alone runs the task on no server today',
} as const;

interface Rule {
  code: string;
  /** the whole message; named groups become the translation's parameters */
  pattern: RegExp;
}

const exact = (code: string, message: string): Rule => ({ code, pattern: new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });

const rules: readonly Rule[] = [
  // login and account (auth.md §4, §7)
  exact('auth.invalid_credentials', 'Invalid credentials'),
  exact('auth.code_required', '2FA code is required'),
  exact('auth.invalid_code', 'Invalid 2FA code'),
  exact('auth.code_used', '2FA code has already been used, wait for the next one'),
  exact('auth.password_login_disabled', 'Password login is disabled'),
  { code: 'auth.login_rate_limited', pattern: /^Too many failed login attempts, try again in (?<seconds>\d+) seconds$/ },
  { code: 'auth.code_rate_limited', pattern: /^Too many invalid 2FA codes, try again in (?<seconds>\d+) seconds$/ },
  { code: 'auth.password_rate_limited', pattern: /^Too many wrong current passwords, try again in (?<seconds>\d+) seconds$/ },
  { code: 'auth.unauthorized', pattern: /^Unauthorized\.?$/ },
  exact('auth.permission_denied', 'Permission denied'),
  // the database (the server's -32051, HTTP 503)
  exact('store.unavailable', 'database is unavailable'),
  exact('store.full', 'database is full'),
  // requests
  exact('request.invalid_body', 'Invalid or missing request body'),
  exact('request.invalid_data', 'Invalid request data'),
  { code: 'request.not_found', pattern: /^record not found(?:: (?<what>.+))?$/ },
  // ping tasks (admin-api.md §4)
  exact('ping.fields_required', 'name, target, type and interval are required'),
  exact('ping.clients_required', serverMessages.pingClientsRequired),
  exact('ping.no_server_today', serverMessages.pingNoServerToday),
  { code: 'ping.bad_type', pattern: /^type must be one of (?<types>.+)$/ },
  { code: 'ping.name_too_long', pattern: /^name must be at most (?<max>\d+) characters$/ },
  { code: 'ping.bad_interval', pattern: /^interval must be a whole number of seconds from 1 to (?<max>\d+)$/ },
  { code: 'ping.unknown_client', pattern: /^unknown client: (?<uuids>.+)$/ },
  { code: 'ping.target_too_long', pattern: /^target must be at most (?<max>\d+) characters$/ },
  exact('ping.target_spaces', 'target must not contain spaces or control characters'),
  exact('ping.target_scheme', 'target must be an http:// or https:// URL'),
  exact('ping.target_url', 'target must be a URL or a host'),
  exact('ping.target_no_host', 'target must name a host'),
  exact('ping.target_host_port', 'target must be host:port, [ipv6]:port, a host or an IP address'),
  exact('ping.target_host', 'target must be a host or an IP address'),
  { code: 'ping.bad_task_id', pattern: /^Invalid task id: (?<id>.+)$/ },
  // nodes (admin-api.md §2)
  exact('node.bad_uuid', 'Invalid or missing UUID'),
  exact('node.token_taken', 'token is already used by another node'),
  { code: 'node.unknown_field', pattern: /^Unknown field: (?<field>.+)$/ },
  { code: 'node.traffic_limit', pattern: /^traffic_limit: traffic_limit must be a valid non-negative int64 value$/ },
  { code: 'node.expired_at', pattern: /^expired_at: expired_at must be an RFC3339 timestamp with a timezone: (?<value>.*)$/ },
  { code: 'node.too_long', pattern: /^(?<field>[a-z_0-9]+): Too big: expected string to have <=(?<max>\d+) characters$/ },
];

export interface ServerErrorCode {
  code: string;
  params: Record<string, string>;
}

/** The stable code of a server message and the values it carries, or undefined for an unlisted one. */
export function serverErrorCode(message: string): ServerErrorCode | undefined {
  for (const r of rules) {
    const m = r.pattern.exec(message);
    if (!m) continue;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) params[k] = v;
    return { code: r.code, params };
  }
  return undefined;
}

/** Every code, for the tests that check each has a translation in every language. */
export const serverErrorCodes: readonly string[] = rules.map((r) => r.code);
