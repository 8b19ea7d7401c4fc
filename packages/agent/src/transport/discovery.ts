import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { AgentConfig } from '../config.ts';
import { paths } from './endpoints.ts';
import { sleep } from './failures.ts';
import type { HttpClient } from './http-client.ts';
import { errorText, type Logger } from './log.ts';

export interface DiscoveryOptions {
  endpoint: string;
  key: string;
  /** where the registered uuid and token are kept (`auto-discovery.json`) */
  file: string;
  hostname: string;
  http: HttpClient;
  log: Logger;
  signal: AbortSignal;
  retryMs: number;
}

/** `auto-discovery.json` beside the config file, or in the working directory without one. */
export function discoveryFileFor(configFile: string): string {
  return join(configFile ? dirname(configFile) : process.cwd(), 'auto-discovery.json');
}

interface Registered {
  uuid: string;
  token: string;
}

function readRegistered(file: string): Registered | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<Registered>;
    if (typeof v.uuid === 'string' && typeof v.token === 'string' && v.token !== '') return { uuid: v.uuid, token: v.token };
  } catch {
    // missing or unreadable: register
  }
  return undefined;
}

async function register(o: DiscoveryOptions): Promise<Registered> {
  const url = `${o.endpoint}${paths.register}?name=${encodeURIComponent(o.hostname)}`;
  const answer = await o.http.post(url, { key: o.key }, { timeoutMs: 30_000, headers: { authorization: `Bearer ${o.key}` }, signal: o.signal });
  let body: { data?: Partial<Registered> } | undefined;
  try {
    body = JSON.parse(answer.text) as typeof body;
  } catch {
    body = undefined;
  }
  const data = body?.data;
  if (answer.status !== 200 || typeof data?.uuid !== 'string' || typeof data.token !== 'string') {
    throw new Error(`HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);
  }
  return { uuid: data.uuid, token: data.token };
}

/**
 * Auto-discovery (agent-protocol.md §9): with `--auto-discovery KEY` and no token, the node
 * registers itself once (`POST /api/clients/register?name=<hostname>`) and keeps its uuid and
 * token in `file`; later starts read the file. Retries until it works or the agent stops
 * (undefined then).
 */
export async function discoverToken(o: DiscoveryOptions): Promise<string | undefined> {
  const saved = readRegistered(o.file);
  if (saved) return saved.token;
  while (!o.signal.aborted) {
    try {
      const reg = await register(o);
      mkdirSync(dirname(o.file), { recursive: true });
      writeFileSync(o.file, `${JSON.stringify(reg, null, 2)}\n`, { mode: 0o600 });
      o.log.info(`registered as node ${reg.uuid} (kept in ${o.file})`);
      return reg.token;
    } catch (err) {
      if (!o.signal.aborted) o.log.error(`auto-discovery registration failed: ${errorText(err)}`);
      await sleep(o.retryMs, o.signal);
    }
  }
  return undefined;
}

/** The configured token, else the auto-discovered one (undefined when the agent stops first). */
export function tokenOf(
  config: Pick<AgentConfig, 'token' | 'endpoint' | 'autoDiscoveryKey' | 'configFile' | 'reconnectInterval'>,
  o: { http: HttpClient; log: Logger; signal: AbortSignal; file?: string },
): Promise<string | undefined> {
  if (config.token) return Promise.resolve(config.token);
  return discoverToken({
    endpoint: config.endpoint,
    key: config.autoDiscoveryKey,
    file: o.file ?? discoveryFileFor(config.configFile),
    hostname: hostname(),
    http: o.http,
    log: o.log,
    signal: o.signal,
    retryMs: config.reconnectInterval * 1000,
  });
}
