/** The agent routes of a Komari-compatible server (agent-protocol.md §0). */
export const paths = {
  v2: '/api/clients/v2/rpc',
  v1Report: '/api/clients/report',
  uploadBasicInfo: '/api/clients/uploadBasicInfo',
  taskResult: '/api/clients/task/result',
  pingResult: '/api/clients/ping/result',
  terminal: '/api/clients/terminal',
  register: '/api/clients/register',
} as const;

/**
 * URLs under the configured endpoint (`http(s)://host[:port][/prefix]`, no trailing slash): the
 * token goes in the query, the only place every agent route reads it; `ws(s)://` replaces the
 * `http` prefix for sockets.
 */
export class Endpoints {
  readonly base: string;
  readonly token: string;

  constructor(base: string, token: string) {
    this.base = base;
    this.token = token;
  }

  http(path: string, query: Record<string, string> = {}): string {
    const q = new URLSearchParams({ token: this.token, ...query });
    return `${this.base}${path}?${q.toString()}`;
  }

  ws(path: string, query: Record<string, string> = {}): string {
    return this.http(path, query).replace(/^http/i, 'ws');
  }
}

let sequence = 0;

/** Ids like the official agent's `report-<unix nanoseconds>`, unique within this process. */
export function requestId(prefix: string): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${prefix}-${BigInt(Date.now()) * 1_000_000n + BigInt(sequence)}`;
}
