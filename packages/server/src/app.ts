import websocket from '@fastify/websocket';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AppContext } from './app-context.ts';
import { registerAgentInstallRoutes } from './agent-install/routes.ts';
import { AgentCapabilities } from './agents/capabilities.ts';
import { AgentEventQueue } from './agents/event-queue.ts';
import { newStartupConfigCalls } from './agents/startup-config/calls.ts';
import { registerV1AgentRoutes } from './agents/v1/routes.ts';
import { registerV2AgentRoutes } from './agents/v2/routes.ts';
import { purgeTaskResults } from './exec/task-result.ts';
import { AccountService } from './auth/account-service.ts';
import { AlertService } from './alerts/alert-service.ts';
import { registerBackupRoutes } from './backup/routes.ts';
import { backupPurpose, registerRestoreStatusRoute, registerSingleBackupUpload } from './backup/restore-routes.ts';
import { RestoreService } from './backup/restore-service.ts';
import { RestoreLock, type AppLifecycle } from './lifecycle.ts';
import { registerUploadChunkRoute, registerUploadRoutes } from './upload/routes.ts';
import { UploadService } from './upload/upload-service.ts';
import { EventBus } from './bus/event-bus.ts';
import { soloCluster, type Cluster } from './cluster/cluster.ts';
import { joinCluster } from './cluster/join.ts';
import { TerminalRelay } from './cluster/terminal-relay.ts';
import { registerAdminChangeHook } from './http/admin-change-hook.ts';
import { Jobs } from './scheduler/jobs.ts';
import { TokenBuckets } from './util/token-buckets.ts';
import { systemClock, type Clock } from './clock.ts';
import type { BootConfig } from './config/boot-config.ts';
import { dataDirOf } from './config/data-dir.ts';
import { resolveLimits, type LimitOverrides } from './config/limits.ts';
import { bindRoutes } from './http/bind.ts';
import { answerFrameworkError, registerErrorHandling } from './http/errors.ts';
import { loggerOptions } from './http/log-options.ts';
import { registerGates } from './http/gates.ts';
import { recordRoutes, type RouteRecord } from './http/route-table.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerAccountRoutes } from './http/routes/account.ts';
import { bindings } from './http/routes/bindings.ts';
import { registerLoginRoutes } from './http/routes/login.ts';
import { registerRpc2Routes } from './http/routes/rpc2.ts';
import { registerPingRoute } from './http/routes/site.ts';
import { registerTwoFactorRoutes } from './http/routes/two-factor.ts';
import { createFileManager, forgetFileClient, sweepFiles } from './files/manager.ts';
import { registerFileRoutes } from './files/routes.ts';
import { GeoIpService } from './geoip/geoip-service.ts';
import { registerGeoipRoutes } from './geoip/routes.ts';
import type { OutboundTestHooks } from './http-client/test-hooks.ts';
import { createHistoryRecorder } from './history/index.ts';
import { allMethods } from './methods/index.ts';
import { OAuthService } from './oauth/oauth-service.ts';
import type { OAuthEndpoints } from './oauth/providers/types.ts';
import { registerOAuthRoutes } from './oauth/routes.ts';
import { registerOpenApiRoute } from './openapi/route.ts';
import { registerClientsFeed } from './realtime/clients-feed.ts';
import { dispatchCommand } from './agents/dispatch.ts';
import { PingService } from './ping/service.ts';
import { registerPrometheusRoute } from './prometheus/route.ts';
import { ServerMeters } from './prometheus/server-meters.ts';
import { LiveView } from './realtime/live-view.ts';
import { ViewerSockets } from './realtime/viewer-sockets.ts';
import { MethodRegistry } from './rpc/registry.ts';
import { FileGrants } from './remote-control/file-grants.ts';
import { AuditService } from './services/audit-service.ts';
import { SettingsService } from './services/settings-service.ts';
import type { Store } from './store/types.ts';
import { TerminalBroker } from './terminal/broker.ts';
import { registerThemeAdminRoutes } from './themes/admin-routes.ts';
import { registerThemeImportRoutes } from './themes/import/routes.ts';
import { clearThemeStaging } from './themes/install/install-theme.ts';
import { registerThemePutUpload, themePurpose } from './themes/install/upload-routes.ts';
import { registerThemeRoutes } from './themes/routes.ts';
import { ThemeFiles } from './themes/theme-files.ts';
import { defaultThemeRoot, installedThemesRoot } from './themes/theme-paths.ts';
import { ManifestItems } from './themes/settings/manifest-items.ts';
import { registerThemeSettingsRoutes } from './themes/settings/routes.ts';
import { registerTerminalRoutes } from './terminal/routes.ts';

export interface BuildOptions {
  config: BootConfig;
  store: Store;
  clock?: Clock;
  /** false silences the request log (tests) */
  logger?: boolean;
  /** where log lines go instead of stdout (tests read them) */
  logStream?: NodeJS.WritableStream;
  /** bounds shrunk or widened (tests); config/limits.ts holds the defaults */
  limits?: LimitOverrides;
  /** GitHub's base URLs pointed at a local stand-in (tests only; no setting reaches this) */
  oauthEndpoints?: Partial<OAuthEndpoints>;
  /** local stand-ins for outbound downloads (tests only; no env, config or setting reaches this) */
  outboundForTests?: OutboundTestHooks;
  /** the process's open-files soft limit, when known: guests get at most a share of it */
  openFiles?: number;
  /** the running server's restart and restore lock (main.ts); absent: restores wait for a start */
  lifecycle?: AppLifecycle;
  /** the replicas this one is joined to (main.ts opens it); absent: alone */
  cluster?: Cluster;
}

export interface BuiltApp {
  fastify: FastifyInstance;
  ctx: AppContext;
  /** every route with its methods, filled as routes register (complete once buildApp returns) */
  routes: readonly RouteRecord[];
}

const maintenanceEveryMs = 30 * 60_000;

/** Builds the HTTP app over an opened, migrated store. Does not listen. */
export async function buildApp(opts: BuildOptions): Promise<BuiltApp> {
  const { config, store } = opts;
  const clock = opts.clock ?? systemClock;
  const limits = resolveLimits(opts.limits);
  const fastify = Fastify({
    logger: opts.logger === false ? false : loggerOptions({ level: config.logLevel, format: config.logFormat, color: config.logColor }, opts.logStream),
    bodyLimit: config.bodyLimit,
    requestTimeout: limits.http.requestTimeoutMs,
    http: { headersTimeout: limits.http.headersTimeoutMs, connectionsCheckingInterval: limits.http.timeoutCheckEveryMs },
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // HEAD is not answered on GET routes: Komari gives unmatched methods a 404 (only /ping is ANY).
    exposeHeadRoutes: false,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: answerFrameworkError,
  });
  const routes = recordRoutes(fastify);
  const audit = new AuditService(store.audit, clock);
  const settings = await SettingsService.load(store.settings);
  for (const key of settings.ignoredStoredKeys()) {
    // Never the value: it may be a secret (an API key shorter than the current rule).
    fastify.log.warn(`setting ${key} holds a stored value its rule no longer accepts; it is ignored until set again`);
  }
  const bus = new EventBus(fastify.log);
  const cluster = opts.cluster ?? soloCluster;
  const jobs = new Jobs(fastify.log, () => cluster.isLeader());
  const ctx: AppContext = {
    config,
    limits,
    store,
    clock,
    log: fastify.log,
    registry: new MethodRegistry().add(...allMethods),
    settings,
    audit,
    accounts: new AccountService(store, clock, audit, limits.login, bus),
    live: new LiveView(clock, limits.recent),
    history: createHistoryRecorder({
      store,
      clock,
      settings,
      log: fastify.log,
      limits: limits.history,
      pruneBatchRows: limits.history.pruneBatchRows,
      isLeader: () => cluster.isLeader(),
      adoptPendingReports: limits.cluster.adoptPendingReports,
    }),
    events: new AgentEventQueue(clock, limits.agents),
    agentCapabilities: new AgentCapabilities(limits.agents, bus),
    startupConfigCalls: newStartupConfigCalls(limits.agents, bus),
    // Ping history shares the load tiers; commands go out through ctx once it exists.
    // Every replica pings the nodes it holds: local sockets only.
    ping: new PingService({
      store,
      clock,
      log: fastify.log,
      tiers: settings.get('history_retention'),
      limits: limits.history,
      pruneBatchRows: limits.history.pruneBatchRows,
      dispatch: (uuid, cmd) => dispatchCommand(ctx, uuid, cmd, { localOnly: true }),
      isLeader: () => cluster.isLeader(),
      recentWindow: limits.prometheus.pingLossWindow,
      probeErrors: limits.probeErrors,
    }),
    terminal: new TerminalBroker(audit, fastify.log, limits.terminal),
    terminalRelay: undefined as unknown as TerminalRelay,
    oauth: new OAuthService({ store: store.oidcProviders, clock, limits: limits.oauth, publicUrl: config.publicUrl, endpoints: opts.oauthEndpoints }),
    viewers: new ViewerSockets(limits.viewers, fastify.log, opts.openFiles),
    visitorEvents: new TokenBuckets(limits.visitorEvents),
    metricReads: new TokenBuckets(limits.metrics.guestBuckets),
    bus,
    cluster,
    jobs,
    alerts: undefined as unknown as AlertService,
    geoip: new GeoIpService({ settings, dataDir: dataDirOf(config), limits: limits.geoip }),
    restore: undefined as unknown as RestoreService,
    fileGrants: new FileGrants(clock),
    files: createFileManager(limits.files, clock),
    meters: new ServerMeters({ bus, files: store.files, clock, limits: limits.prometheus }),
    themeManifests: new ManifestItems(defaultThemeRoot(config), installedThemesRoot(config), limits.themeSettings.maxManifestBytes),
    outboundForTests: opts.outboundForTests,
  };
  ctx.live.onTransition((t) => bus.publish('node.transition', t));
  bus.subscribe('node.deleted', ({ uuid }) => forgetFileClient(ctx, uuid));
  bus.subscribe('node.deleted', ({ uuid }) => ctx.terminal.endNode(uuid));
  bus.subscribe('node.deleted', ({ uuid }) => ctx.fileGrants.dropNode(uuid));
  bus.subscribe('account.credentialsChanged', ({ userUuid }) => ctx.fileGrants.dropUser(userUuid));
  ctx.alerts = new AlertService(ctx);
  ctx.terminalRelay = new TerminalRelay(ctx);
  const dataDir = dataDirOf(config);
  ctx.restore = new RestoreService(ctx, dataDir, opts.lifecycle ?? { restoreLock: new RestoreLock() });
  const uploadPurposes = [backupPurpose(ctx.restore), themePurpose(ctx)];
  await clearThemeStaging(ctx);
  const uploads = new UploadService(join(dataDir, '.uploads'), limits.upload, clock, uploadPurposes.map((p) => p.name));
  await ctx.oauth.ensureRows();
  await ctx.accounts.start();
  await ctx.history.start();
  await ctx.ping.start();
  await ctx.alerts.start();
  const leaveCluster = joinCluster(ctx);

  // Bodies are kept as text and parsed per route, whatever the Content-Type says.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  await fastify.register(websocket, { options: { maxPayload: config.bodyLimit } });
  registerErrorHandling(fastify, config.bodyLimit);
  registerSecurityHeaders(fastify, config);
  registerGates(fastify, ctx);
  registerAdminChangeHook(fastify, ctx);
  registerPingRoute(fastify);
  registerLoginRoutes(fastify, ctx);
  registerAccountRoutes(fastify, ctx);
  registerTwoFactorRoutes(fastify, ctx);
  registerOAuthRoutes(fastify, ctx);
  registerRpc2Routes(fastify, ctx);
  bindRoutes(fastify, ctx, bindings);
  registerV1AgentRoutes(fastify, ctx);
  registerV2AgentRoutes(fastify, ctx);
  registerClientsFeed(fastify, ctx);
  registerTerminalRoutes(fastify, ctx);
  registerBackupRoutes(fastify, ctx, dataDir);
  registerRestoreStatusRoute(fastify, ctx.restore);
  registerUploadRoutes(fastify, ctx, uploads, uploadPurposes);
  // Uploaded files are read as streams, not as the text bodies every other route gets.
  await fastify.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    registerUploadChunkRoute(raw, ctx, uploads);
    registerSingleBackupUpload(raw, ctx, uploads, ctx.restore);
    registerThemePutUpload(raw, ctx, uploads);
  });
  // File transfers stream their bodies too; the JSON of upload init/merge/cancel is read there.
  await fastify.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    registerFileRoutes(raw, ctx);
  });
  registerThemeAdminRoutes(fastify, ctx);
  registerThemeSettingsRoutes(fastify, ctx);
  registerThemeImportRoutes(fastify, ctx);
  registerThemeRoutes(fastify, ctx, new ThemeFiles(defaultThemeRoot(config), installedThemesRoot(config)), dataDir);
  registerGeoipRoutes(fastify, ctx);
  registerOpenApiRoute(fastify, ctx, routes, bindings);
  registerPrometheusRoute(fastify, ctx);
  registerAgentInstallRoutes(fastify, ctx);

  jobs.add(
    { name: 'maintenance', everyMs: maintenanceEveryMs, run: () => runMaintenance(ctx), leaderOnly: true },
    { name: 'presence-sweep', everyMs: 1000, run: () => ctx.live.sweep() },
    { name: 'upload-sweep', everyMs: limits.upload.sweepEveryMs, run: () => void uploads.sweep() },
    { name: 'file-transfer-sweep', everyMs: limits.files.sweepEveryMs, run: () => sweepFiles(ctx) },
  );
  jobs.start();
  // Before the sockets close: their closing is the server's own doing, not an outage.
  fastify.addHook('preClose', async () => {
    ctx.alerts.stopWatching();
    leaveCluster();
  });
  fastify.addHook('onClose', async () => {
    await jobs.stop();
    await ctx.alerts.stop();
    ctx.viewers.stop();
    ctx.meters.stop();
    // Reports accepted before shutdown are written before the store closes; both at once, so a
    // database that does not answer costs one stall, and one failing does not skip the other.
    const stopped = await Promise.allSettled([ctx.history.stop(), ctx.ping.stop()]);
    const failed = stopped.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  });
  return { fastify, ctx, routes };
}

/**
 * Expired sessions, audit rows past 30 days and exec task results past 30 days are deleted on a
 * schedule (auth.md §4.3, §12; admin-api.md §5.2).
 */
export async function runMaintenance(ctx: AppContext): Promise<void> {
  try {
    await ctx.store.sessions.deleteExpired(ctx.clock.now());
    await ctx.audit.prune();
    await purgeTaskResults(ctx);
    await ctx.alerts.prune();
  } catch (err) {
    ctx.log.error({ err }, 'maintenance failed');
  }
}
