import { join } from 'node:path';
import { z } from 'zod';
import { logFormats } from '../logging/log-format.ts';

/**
 * Boot configuration: flags win over `KOMARI_*` environment variables, which win over defaults.
 * This file and `cli.ts` are the only readers of `process.env`.
 */
const listenSchema = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^:\s]*):\d{1,5}$/, 'must look like host:port, e.g. 0.0.0.0:25774')
  .refine((v) => !/:\d+$/.test(v) || Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, 'the port must be 0-65535');

/** Where each field comes from, so an error names what the operator has to fix. */
const sourceOf: Record<string, string> = {
  listen: 'KOMARI_LISTEN (--listen)',
  db: 'KOMARI_DB (--database)',
  dataDir: 'KOMARI_DATA_DIR (--data-dir)',
  pgStartTimeout: 'KOMARI_PG_START_TIMEOUT',
  pgSchema: 'KOMARI_PG_SCHEMA',
  cluster: 'KOMARI_CLUSTER',
  trustedProxies: 'KOMARI_TRUSTED_PROXIES',
  publicUrl: 'KOMARI_PUBLIC_URL',
  bodyLimit: 'KOMARI_BODY_LIMIT',
  adminUsername: 'ADMIN_USERNAME',
  adminPassword: 'ADMIN_PASSWORD',
  wsDisableOrigin: 'KOMARI_WS_DISABLE_ORIGIN',
  logLevel: 'KOMARI_LOG_LEVEL',
  logFormat: 'KOMARI_LOG_FORMAT',
  version: 'KOMARI_VERSION',
  hash: 'KOMARI_COMMIT',
  localAgent: 'KOMARI_LOCAL_AGENT (--local-agent / --no-local-agent)',
  webRoot: 'KOMARI_WEB_ROOT',
  agentWsCompression: 'KOMARI_AGENT_WS_COMPRESSION',
  frameAncestors: 'KOMARI_FRAME_ANCESTORS',
};

const on = ['1', 'true', 'yes', 'on'];
const switchSchema = z
  .enum([...on, '0', 'false', 'no', 'off'], { error: 'must be 1 or 0 (true or false)' })
  .transform((v) => on.includes(v));

export const bootConfigSchema = z.object({
  listen: listenSchema.default('0.0.0.0:25774'),
  db: z.string().min(1).default('./data/komari.db'),
  /**
   * The data folder (themes, favicon, backups, uploads); empty: the SQLite file's folder, or
   * `./data` when KOMARI_DB is a PostgreSQL URL (config/data-dir.ts).
   */
  dataDir: z.string().default(''),
  /** Seconds to keep retrying an unreachable PostgreSQL at start before exiting; 0: one try. */
  pgStartTimeout: z.number().int().min(0).max(86_400).optional(),
  /** The PostgreSQL schema the tables live in (created when missing), so one database can hold several. */
  pgSchema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case schema name (letters, digits, _; at most 63)')
    .default('public'),
  /**
   * The NATS server that joins replicas sharing one PostgreSQL (cluster/); empty: this server is
   * alone. Only with a PostgreSQL KOMARI_DB (checked at start, cluster/open-cluster.ts).
   */
  cluster: z
    .union([z.literal(''), z.string().regex(/^nats:\/\/[^\s/]+$/, 'must be a NATS URL such as nats://127.0.0.1:4222')])
    .default(''),
  /** Peers whose X-Forwarded-For / X-Forwarded-Proto are believed. Empty: believe nobody. */
  trustedProxies: z.array(z.string().min(1)).default([]),
  /** Public base URL, used where a URL must not come from request headers (OAuth callbacks). */
  publicUrl: z
    .union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://status.example.com' })])
    .default(''),
  /** Largest request body accepted anywhere, in bytes. */
  bodyLimit: z.number().int().positive().default(1024 * 1024),
  adminUsername: z.string().min(1).max(50).optional(),
  adminPassword: z.string().min(1).optional(),
  wsDisableOrigin: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** unset: pretty on a terminal, JSON lines otherwise (logging/log-format.ts) */
  logFormat: z.enum(logFormats, { error: `must be ${logFormats.join(' or ')}` }).optional(),
  /** ANSI colours in pretty lines on a terminal; NO_COLOR (https://no-color.org) turns them off */
  logColor: z.boolean().default(true),
  version: z.string().default('0.1.0'),
  hash: z.string().default('unknown'),
  /**
   * `komari server` also runs an agent for this host (local-agent.ts). Off for the bare command,
   * so a production server never grows a node on its own; the README's `scripts/start.sh` turns
   * it on unless KOMARI_LOCAL_AGENT is set.
   */
  localAgent: switchSchema.default(false),
  /**
   * The default theme's root (holding `dist/index.html`); empty: the built `packages/web` of this
   * checkout. Installed themes live beside the database, in `<db dir>/theme/<short>/`.
   */
  webRoot: z.string().default(''),
  /** permessage-deflate on the v2 agent socket when the agent offers it (Komari: always) */
  agentWsCompression: switchSchema.default(true),
  /**
   * Sites allowed to show the public pages in an iframe (`*` for any), besides this server
   * itself. The admin panel and the terminal are never frameable (http/security-headers.ts).
   */
  frameAncestors: z
    .array(z.string().regex(/^(\*|https?:\/\/[^\s/;,'"]+)$/, 'must be * or origins such as https://blog.example.com, comma-separated'))
    .default([]),
});
export type BootConfig = z.output<typeof bootConfigSchema>;

export interface BootFlags {
  listen?: string;
  db?: string;
  /** --data-dir */
  dataDir?: string;
  /** --local-agent / --no-local-agent */
  localAgent?: boolean;
}

function splitList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

function bool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  return v === 'true' || v === '1';
}

/** Builds and validates the boot config; throws a readable error naming the bad setting. */
export function loadBootConfig(flags: BootFlags, env: NodeJS.ProcessEnv): BootConfig {
  const dataDir = flags.dataDir ?? env.KOMARI_DATA_DIR;
  const raw = {
    listen: flags.listen ?? env.KOMARI_LISTEN,
    // An installed server (deploy/: Docker, systemd) is given a data folder only: its database
    // is komari.db in it, not ./data/komari.db under whatever folder it was started from.
    db: flags.db ?? env.KOMARI_DB ?? (dataDir ? join(dataDir, 'komari.db') : undefined),
    dataDir,
    pgSchema: env.KOMARI_PG_SCHEMA || undefined,
    cluster: env.KOMARI_CLUSTER || undefined,
    pgStartTimeout: env.KOMARI_PG_START_TIMEOUT === undefined ? undefined : Number(env.KOMARI_PG_START_TIMEOUT),
    trustedProxies: splitList(env.KOMARI_TRUSTED_PROXIES),
    publicUrl: env.KOMARI_PUBLIC_URL,
    bodyLimit: env.KOMARI_BODY_LIMIT === undefined ? undefined : Number(env.KOMARI_BODY_LIMIT),
    adminUsername: env.ADMIN_USERNAME || undefined,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    wsDisableOrigin: bool(env.KOMARI_WS_DISABLE_ORIGIN),
    logLevel: env.KOMARI_LOG_LEVEL,
    logFormat: env.KOMARI_LOG_FORMAT?.toLowerCase() || undefined,
    logColor: !env.NO_COLOR,
    version: env.KOMARI_VERSION,
    hash: env.KOMARI_COMMIT,
    webRoot: env.KOMARI_WEB_ROOT,
    agentWsCompression: env.KOMARI_AGENT_WS_COMPRESSION?.toLowerCase() || undefined,
    frameAncestors: splitList(env.KOMARI_FRAME_ANCESTORS),
    localAgent: flags.localAgent === undefined ? env.KOMARI_LOCAL_AGENT?.toLowerCase() || undefined : String(flags.localAgent),
  };
  const parsed = bootConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? '');
      return `${sourceOf[field] ?? (i.path.join('.') || 'config')}: ${i.message}`;
    });
    throw new Error(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return parsed.data;
}

export function splitListen(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  let host = listen.slice(0, i);
  if (host.startsWith('[')) host = host.slice(1, -1);
  return { host: host || '0.0.0.0', port: Number(listen.slice(i + 1)) };
}
