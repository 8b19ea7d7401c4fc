import type { FastifyBaseLogger } from 'fastify';
import type { AgentCapabilities } from './agents/capabilities.ts';
import type { AgentEventQueue } from './agents/event-queue.ts';
import type { StartupConfigCalls } from './agents/startup-config/calls.ts';
import type { AccountService } from './auth/account-service.ts';
import type { AlertService } from './alerts/alert-service.ts';
import type { EventBus } from './bus/event-bus.ts';
import type { Cluster } from './cluster/cluster.ts';
import type { TerminalRelay } from './cluster/terminal-relay.ts';
import type { Jobs } from './scheduler/jobs.ts';
import type { Clock } from './clock.ts';
import type { BootConfig } from './config/boot-config.ts';
import type { ServerLimits } from './config/limits.ts';
import type { FileManager } from './files/manager.ts';
import type { GeoIpService } from './geoip/geoip-service.ts';
import type { HistoryRecorder } from './history/recorder.ts';
import type { RestoreService } from './backup/restore-service.ts';
import type { OAuthService } from './oauth/oauth-service.ts';
import type { PingService } from './ping/service.ts';
import type { ServerMeters } from './prometheus/server-meters.ts';
import type { LiveView } from './realtime/live-view.ts';
import type { ViewerSockets } from './realtime/viewer-sockets.ts';
import type { MethodRegistry } from './rpc/registry.ts';
import type { AuditService } from './services/audit-service.ts';
import type { SettingsService } from './services/settings-service.ts';
import type { FileGrants } from './remote-control/file-grants.ts';
import type { OutboundTestHooks } from './http-client/test-hooks.ts';
import type { Store } from './store/types.ts';
import type { TerminalBroker } from './terminal/broker.ts';
import type { ManifestItems } from './themes/settings/manifest-items.ts';
import type { TokenBuckets } from './util/token-buckets.ts';

/**
 * Everything a handler may use, built once in `app.ts` and passed down. Nothing here is a
 * module-level singleton, so tests build as many apps as they like.
 */
export interface AppContext {
  config: BootConfig;
  /** every in-memory and per-request bound (config/limits.ts) */
  limits: ServerLimits;
  store: Store;
  clock: Clock;
  log: FastifyBaseLogger;
  registry: MethodRegistry;
  settings: SettingsService;
  audit: AuditService;
  accounts: AccountService;
  /** latest reports, recent window, sockets, presence, online set */
  live: LiveView;
  history: HistoryRecorder;
  /** commands waiting for POST-only v2 agents */
  events: AgentEventQueue;
  /** what each node's agent last said it can do (admins only) */
  agentCapabilities: AgentCapabilities;
  /** `admin:getAgentStartupConfig` calls waiting for `agent.startupConfig.result` */
  startupConfigCalls: StartupConfigCalls;
  /** ping tasks, their schedule and ping history */
  ping: PingService;
  /** open web terminals and their limits */
  terminal: TerminalBroker;
  /** web terminals whose agent dialled another replica than the browser (joined replicas only) */
  terminalRelay: TerminalRelay;
  /** OAuth providers, their configurations, issued states */
  oauth: OAuthService;
  /** `public:recordVisitorEvent`'s per-address token buckets */
  visitorEvents: TokenBuckets;
  /** stored buckets guests' metric queries read, per address group (metrics/bucket-reader.ts) */
  metricReads: TokenBuckets;
  /** what happens (transitions, deletions, logins), for whoever reacts to it */
  bus: EventBus;
  /** the other replicas (cluster/): leadership, messages; alone, a cluster of one that always leads */
  cluster: Cluster;
  /** periodic work by name; tests run a job instead of waiting for it */
  jobs: Jobs;
  /** channels, rules, their evaluation and delivery, the alert history */
  alerts: AlertService;
  /** browser sockets of /api/clients and /api/rpc2: guest caps, idle timeout, pings */
  viewers: ViewerSockets;
  /** country lookups from the offline database (region on basic info, login notices, admin test) */
  geoip: GeoIpService;
  /** backup restores: validation, the live swap, the last outcome */
  restore: RestoreService;
  /** the file manager's 2FA grants per (user, node) (remote-control/gate.ts) */
  fileGrants: FileGrants;
  /** the remote file manager: calls waiting for agents, stream transfers, uploads, preview tokens */
  files: FileManager;
  /** managed items of theme manifests, parsed once per file version (themes/settings/) */
  themeManifests: ManifestItems;
  /** what `/metrics` counts about the server itself: reports ingested, event-loop delay, database size */
  meters: ServerMeters;
  /** TESTS ONLY (http-client/test-hooks.ts): absent in the running server */
  outboundForTests?: OutboundTestHooks;
}
