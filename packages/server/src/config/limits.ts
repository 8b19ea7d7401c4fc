import { type AgentInstallLimits, defaultAgentInstallLimits } from '../agent-install/limits.ts';
import { type AlertLimits, defaultAlertLimits } from '../alerts/limits.ts';
import { type OAuthLimits, defaultOAuthLimits } from '../oauth/limits.ts';
import { type ThemeDownloadLimits, type ThemeInstallLimits, type ThemeServingLimits, type ThemeSettingsLimits, defaultThemeDownloadLimits, defaultThemeInstallLimits, defaultThemeServingLimits, defaultThemeSettingsLimits } from '../themes/limits.ts';
import { defaultClusterLimits, type ClusterLimits } from '../cluster/limits.ts';
import { defaultFileLimits, type FileLimits } from '../files/limits.ts';
import { defaultHistoryLimits, type HistoryLimits } from '../history/limits.ts';
import { defaultProbeErrorLimits, type ProbeErrorLimits } from '../ping/limits.ts';
import { defaultPrometheusLimits, type PrometheusLimits } from '../prometheus/limits.ts';
import { defaultPgPoolLimits, type PgPoolLimits } from '../store/postgres/pool-limits.ts';
import { defaultTerminalLimits, type TerminalLimits } from '../terminal/limits.ts';
import type { TokenBucketRule } from '../util/token-buckets.ts';

export interface LimitRule {
  /** failures allowed inside the window before further attempts are refused */
  maxFailures: number;
  windowMs: number;
}

/**
 * Every bound on what the server holds in memory per node, per socket or per request, and on the
 * answers it builds from that, in one place. Tests shrink them through `buildApp({ limits })`;
 * operators read them in the README's security section.
 */
export interface ServerLimits {
  /** what one agent report may pin (the recent window keeps a minute of them per node) */
  report: {
    /** `message` and every other free-form string of a report, in UTF-8 bytes; longer is cut */
    maxTextBytes: number;
    /** GPU devices kept of a report's `gpu.detailed_info`; the rest are dropped */
    maxGpuDevices: number;
  };
  /** the live view: what is true now, per node, in memory only */
  recent: {
    /** how long reports stay in the recent window (Komari: 60 s) */
    windowMs: number;
    /** reports kept per node in the recent window, whatever the interval */
    maxReportsPerNode: number;
    /**
     * bytes one node's recent window may hold, numbers and texts together (estimated as V8 holds
     * them); the oldest reports go first. A report whose texts alone exceed it keeps its numbers.
     */
    maxBytesPerNode: number;
    /** how long a POST-style report or a pull keeps a node online (Komari: 35 s) */
    presenceTtlMs: number;
    /** online/offline transitions kept for the alerts */
    transitionLogSize: number;
  };
  /** agent transports (agent-protocol.md §6.1, §7.5, §11.3) */
  agents: {
    /** a v1 or v2 agent socket with no data frame for this long is dropped; pings do not count */
    readDeadlineMs: number;
    /** how long a POST `agent.pull` waits for an event when none is pending */
    pullHoldMs: number;
    /** events returned with an `agent.report` result */
    reportEvents: number;
    /** events returned with an `agent.pull` result */
    pullEvents: number;
    /** commands queued per POST-only v2 agent; past it the oldest go */
    eventQueueCapacity: number;
    /** how long a queued command waits for its agent */
    eventTtlMs: number;
    /** ping commands are only worth running right away */
    pingEventTtlMs: number;
    /** wrong auto-discovery keys per client address (`POST /api/clients/register`), then 429 */
    registerPerIp: LimitRule;
    /** v2 sockets: how far an agent may fall behind reading its answers (as `viewers`) */
    maxMessagesInFlight: number;
    maxBufferedBytes: number;
    /** capability names kept per node (`agent.pull`/`agent.report` `capabilities`); the rest are dropped */
    maxCapabilities: number;
    /** a capability name longer than this, in UTF-8 bytes, is dropped */
    maxCapabilityBytes: number;
    /** `admin:getAgentStartupConfig` calls waiting for their agents at once, across every node */
    maxStartupConfigCalls: number;
    /** how long `admin:getAgentStartupConfig` waits for the agent (komari-1.5.md §3.1: 20 s) */
    startupConfigTimeoutMs: number;
    /** keys of a startup configuration passed to the admin; the agent's answer is refused past it */
    maxStartupConfigKeys: number;
  };
  /** every HTTP connection, before any route (Node's own request parser) */
  http: {
    /**
     * a request whose headers and body have not all arrived by then is answered 408 and its
     * connection closed (Fastify's default, 0, let a trickled body hold a socket forever);
     * answers that take long (a long-poll) and upgraded WebSockets are not affected
     */
    requestTimeoutMs: number;
    /** the same for the headers alone; Node holds the longer of the two as the request timeout */
    headersTimeoutMs: number;
    /** how often Node looks for such requests */
    timeoutCheckEveryMs: number;
    /**
     * how long a stop or a live restore waits for requests in flight (a backup download to a slow
     * or stalled reader) before cutting their connections: a restarting server accepts nothing
     * while it waits, and a stopping one would hold its exit
     */
    closeGraceMs: number;
  };
  /** `/api/rpc2` over HTTP and WebSocket */
  rpc: {
    /** requests in one batch; more is a JSON-RPC error, nothing is run */
    maxBatch: number;
    /** bytes of one answer (a batch's answers added up); past it the call fails with an error */
    maxResponseBytes: number;
  };
  /** browser WebSockets: `/api/clients` viewers and `/api/rpc2` sockets */
  viewers: {
    /** a viewer that has not sent `get` (or a call) for this long is closed */
    idleMs: number;
    /** the server pings every socket this often; one that misses a pong is closed */
    pingEveryMs: number;
    /** messages one socket may have waiting for their answers; one more closes it (1008) */
    maxMessagesInFlight: number;
    /** bytes of answers a socket's client has not taken yet; past it the next answer waits */
    maxBufferedBytes: number;
    /** sockets one guest address may hold open (IPv6 counted by /64) */
    maxGuestSocketsPerIp: number;
    /** sockets all guests together may hold open; agents and admins are never counted */
    maxGuestSockets: number;
    /**
     * and at most this share of the process's open-files limit (read at start), so that guests
     * can never take the descriptors agents and admins need, whatever the limit is
     */
    maxGuestShareOfOpenFiles: number;
  };
  login: {
    /** failed logins per client address (IPv6 counted by /64) */
    perIp: LimitRule;
    /** failed logins per username; an address the account logged in from before is exempt */
    perAccount: LimitRule;
    /** failures from everywhere together: a spread-out guess campaign slows down too */
    global: LimitRule;
    /** keys each limiter tracks; a locked key is never evicted to make room */
    maxKeys: number;
    /** addresses remembered per account as known-good (the latest ones it logged in from) */
    knownAddressesPerAccount: number;
    /** wrong 2FA codes at a sensitive action and wrong current passwords, per account */
    reauth: LimitRule;
  };
  terminal: TerminalLimits;
  /** OAuth / OIDC single sign-on (oauth/) */
  oauth: OAuthLimits;
  /** `public:recordVisitorEvent` per client address (Komari's only rate limit, rpc2.md §10.2.4) */
  visitorEvents: TokenBucketRule;
  /** backups (backup/) */
  backup: {
    /** archives kept in `data/backup/` from downloads; older ones are deleted */
    keepDownloads: number;
    /** `pre-restore-*.zip` safety copies kept (each is a whole backup); older ones are deleted */
    keepPreRestore: number;
    /** entries an archive to restore may hold (Komari: 100,000) */
    maxEntries: number;
    /** bytes its entries may expand to, counted while extracting, not read from headers (Komari: 4 GiB) */
    maxUncompressedBytes: number;
    /** bytes of one entry's name (the names restored are held while checking them: ≤ maxEntries × this) */
    maxEntryNameBytes: number;
  };
  /** the chunked upload service (upload/), shared by backups and themes (admin-api.md §11.2) */
  upload: {
    /** every chunk but the last is exactly this long (Komari: 5 MiB) */
    chunkBytes: number;
    /** one chunk request, multipart framing included (Komari: 6 MiB) */
    maxChunkRequestBytes: number;
    /** a whole upload, and the older single-request backup upload (Komari: 4 GiB) */
    maxUploadBytes: number;
    /** uploads in progress at once; one more is refused (429) until one ends or expires */
    maxConcurrent: number;
    /** an upload untouched this long is deleted with its chunks */
    idleTtlMs: number;
    /** how often expired uploads are looked for */
    sweepEveryMs: number;
  };
  /** installing theme packages (themes/install/, themes.md §1); Komari's bounds and words */
  themes: ThemeInstallLimits;
  /** alerts: evaluation, delivery and what is kept (alerts/) */
  alerts: AlertLimits;
  /** saved commands (clipboard/); Komari bounds none of these */
  clipboard: {
    /** characters of an entry's name (Komari's column is a varchar(255)) */
    maxNameChars: number;
    /** UTF-8 bytes of an entry's command text */
    maxTextBytes: number;
    /** UTF-8 bytes of an entry's remark */
    maxRemarkBytes: number;
    /** entries kept; creating one more is refused (400), and so is a batch delete naming more ids */
    maxEntries: number;
  };
  /** the offline GeoIP database (geoip/) */
  geoip: {
    /** an uploaded `.mmdb` is held in memory whole: GeoLite2-Country is ~9 MB, -City ~70 MB */
    maxUploadBytes: number;
    /** pointers one lookup (or the file's metadata) may follow while decoding its record */
    maxRecordPointers: number;
    /** bytes decoded behind those pointers; a country record of GeoLite2-City is a few KiB */
    maxRecordBytes: number;
  };
  /** what the web UI serves besides theme files as they are (themes/) */
  themeServing: ThemeServingLimits;
  /** a Komari database brought over (import/komari/), which a restore runs inside the server */
  komariImport: {
    /** characters of all result rows of one exec task, held together to write it; a larger task is left out */
    maxExecTaskResultChars: number;
    /** Komari settings keys komari-ts does not know, kept as they are (every setting is held in memory); the rest are left out */
    maxUnknownSettings: number;
    /** characters of one Komari settings value (its JSON text); a longer one is left out */
    maxSettingValueChars: number;
  };
  /** public:queryMetrics and public:getPingMetricStats answers (metrics/) */
  metrics: {
    /** metric keys one query may name */
    maxKeys: number;
    /** the largest `max_points` a series may ask for (raw answers are cut to it too) */
    maxPointsPerSeries: number;
    /** series (metric × node × tag set) one answer may hold; more is refused, not cut */
    maxSeries: number;
    /** points one answer may hold (~60 bytes of JSON each); more is refused, not cut */
    maxTotalPoints: number;
    /**
     * stored buckets one call may read (each costs ~5 µs, and as many as 2016 make one node's
     * week at the 5-minute tier however few points are asked for); past it the call is refused
     */
    maxBucketsPerCall: number;
    /** stored buckets guests of one address (IPv6 by /64) may have read, as a token bucket */
    guestBuckets: TokenBucketRule;
  };
  /** importing Komari's history (import/komari/history) */
  historyImport: {
    /** rows held before they are written in one transaction */
    batchRows: number;
  };
  /** `komari migrate` (migrate/): copying every table to the other engine */
  migrate: {
    /** rows of one table read from the source and written to the target at a time */
    batchRows: number;
  };
  /** the remote file manager (files/limits.ts) */
  files: FileLimits;
  /** replicas joined through NATS (cluster/) */
  cluster: ClusterLimits;
  /** the history write buffer (through a full disk or a PostgreSQL outage) and its retries */
  history: HistoryLimits;
  /** PostgreSQL's connect and query timeouts: requests fail fast while it is down */
  postgres: PgPoolLimits;
  /** `GET /metrics` (prometheus/): the ping loss window, how fresh the database size and event-loop lag are */
  prometheus: PrometheusLimits;
  /** why ping probes could not run, per task and node, in memory (ping/limits.ts) */
  probeErrors: ProbeErrorLimits;
  /** themes' saved settings (themes/settings/); every visitor's `/api/public` carries the active theme's */
  themeSettings: ThemeSettingsLimits;
  /** themes installed from a URL or a GitHub release (themes/import/, http-client/) */
  themeDownload: ThemeDownloadLimits;
  /** the agent install line's downloads (agent-install/): the runtime's size and how many at once */
  agentInstall: AgentInstallLimits;
}

export const defaultServerLimits: ServerLimits = {
  report: {
    maxTextBytes: 4096,
    maxGpuDevices: 16,
  },
  recent: {
    windowMs: 60_000,
    maxReportsPerNode: 120,
    // a report at the text limits (4 strings and 16 GPU names of 4 KiB: ≤ 164 KiB as V8 holds them)
    // fits whole; 60 reports of an official agent at 1 s take ~10 KiB
    maxBytesPerNode: 192 * 1024,
    presenceTtlMs: 35_000,
    transitionLogSize: 10_000,
  },
  agents: {
    readDeadlineMs: 11_000,
    pullHoldMs: 25_000,
    reportEvents: 8,
    pullEvents: 128,
    eventQueueCapacity: 128,
    eventTtlMs: 5 * 60_000,
    pingEventTtlMs: 3_000,
    registerPerIp: { maxFailures: 10, windowMs: 10 * 60_000 },
    maxMessagesInFlight: 64,
    maxBufferedBytes: 1024 * 1024,
    // the official agent sends 8 names of at most 14 bytes
    maxCapabilities: 32,
    maxCapabilityBytes: 64,
    maxStartupConfigCalls: 64,
    startupConfigTimeoutMs: 20_000,
    maxStartupConfigKeys: 512,
  },
  http: {
    // an agent's largest body (1 MiB) in 60 s is 17 KiB/s
    requestTimeoutMs: 60_000,
    headersTimeoutMs: 30_000,
    timeoutCheckEveryMs: 10_000,
    closeGraceMs: 5_000,
  },
  rpc: {
    maxBatch: 50,
    maxResponseBytes: 8 * 1024 * 1024,
  },
  viewers: {
    idleMs: 60_000,
    pingEveryMs: 30_000,
    maxMessagesInFlight: 64,
    // a socket holds at most this plus one answer; a larger answer (a 10,000-node feed is ~5 MiB)
    // still goes out, the next one waits for it
    maxBufferedBytes: 1024 * 1024,
    maxGuestSocketsPerIp: 32,
    maxGuestSockets: 4096,
    maxGuestShareOfOpenFiles: 0.5,
  },
  login: {
    perIp: { maxFailures: 10, windowMs: 10 * 60_000 },
    perAccount: { maxFailures: 20, windowMs: 10 * 60_000 },
    global: { maxFailures: 1000, windowMs: 10 * 60_000 },
    maxKeys: 10_000,
    knownAddressesPerAccount: 16,
    reauth: { maxFailures: 10, windowMs: 10 * 60_000 },
  },
  terminal: defaultTerminalLimits,
  oauth: defaultOAuthLimits,
  visitorEvents: { burst: 10, perMinute: 30, maxKeys: 10_000 },
  backup: {
    keepDownloads: 5,
    keepPreRestore: 3,
    maxEntries: 100_000,
    maxUncompressedBytes: 4 * 1024 ** 3,
    maxEntryNameBytes: 1024,
  },
  upload: {
    chunkBytes: 5 * 1024 * 1024,
    maxChunkRequestBytes: 6 * 1024 * 1024,
    maxUploadBytes: 4 * 1024 ** 3,
    maxConcurrent: 4,
    idleTtlMs: 30 * 60_000,
    sweepEveryMs: 60_000,
  },
  themes: defaultThemeInstallLimits,
  alerts: defaultAlertLimits,
  geoip: {
    maxUploadBytes: 64 * 1024 * 1024,
    maxRecordPointers: 10_000,
    maxRecordBytes: 1024 * 1024,
  },
  themeServing: defaultThemeServingLimits,
  komariImport: {
    maxExecTaskResultChars: 16 * 1024 * 1024,
    maxUnknownSettings: 500,
    maxSettingValueChars: 256 * 1024,
  },
  metrics: {
    maxKeys: 32,
    maxPointsPerSeries: 5000,
    maxSeries: 1000,
    maxTotalPoints: 200_000,
    // a stored bucket costs 5–10 µs to read: ≤ ~1 s per call, and as much a minute per guest
    // address; a node's week of load (every metric) and one ping task at full detail is ~4,000
    maxBucketsPerCall: 100_000,
    guestBuckets: { burst: 100_000, perMinute: 100_000, maxKeys: 10_000 },
  },
  clipboard: {
    maxNameChars: 255,
    maxTextBytes: 64 * 1024,
    maxRemarkBytes: 64 * 1024,
    maxEntries: 1000,
  },
  historyImport: {
    batchRows: 2000,
  },
  migrate: {
    batchRows: 1000,
  },
  files: defaultFileLimits,
  cluster: defaultClusterLimits,
  history: defaultHistoryLimits,
  postgres: defaultPgPoolLimits,
  prometheus: defaultPrometheusLimits,
  probeErrors: defaultProbeErrorLimits,
  themeSettings: defaultThemeSettingsLimits,
  themeDownload: defaultThemeDownloadLimits,
  agentInstall: defaultAgentInstallLimits,
};

export type LimitOverrides = { [K in keyof ServerLimits]?: Partial<ServerLimits[K]> };

/** The defaults with each overridden section merged in (one level deep). */
export function resolveLimits(overrides: LimitOverrides = {}): ServerLimits {
  const out = structuredClone(defaultServerLimits) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, values] of Object.entries(overrides)) {
    if (values) out[section] = { ...out[section], ...values };
  }
  return out as unknown as ServerLimits;
}
