/**
 * Who may call what: the declared side of the authorisation matrix (test/authz-matrix.test.ts).
 * The matrix calls every route of the real route table and every method of the RPC registry as
 * each caller below and compares the answer with the line declared here. A route or method that
 * is missing here fails the matrix: declare it with one line, naming a policy.
 *
 *   REST: 'POST /api/admin/thing/add': adminOnly,          (key = method + the pattern as registered)
 *   RPC:  'admin:getThing': rpcAdmin,
 *
 * "Allowed" means the gates let the caller through: any answer that is not a refusal, so a 400
 * from validation counts. "Denied" means exactly the declared refusal (status and body).
 */

/** The six callers, each calling the way it does in real life (test/authz/callers.ts). */
export const callers = ['guest', 'agent', 'expiredSession', 'wrongApiKey', 'apiKey', 'admin'] as const;
export type CallerName = (typeof callers)[number];

/** The refusals a caller can meet, exactly as Komari words them. */
export const denials = {
  /** role gates of /api/admin/* and /api/clients/* (admin-api.md §0.1, agent-protocol.md §1.3) */
  unauthorized: { status: 401, json: { status: 'error', message: 'Unauthorized.' } },
  /** a client:* method reached through its REST binding by an admin (agent-protocol.md §1.2) */
  permissionDenied: { status: 401, json: { status: 'error', message: 'Permission denied' } },
  /** the WebSocket origin check refuses the upgrade (public-api.md §1.7) */
  forbiddenOrigin: { status: 403, text: 'Forbidden' },
  /** POST /api/clients/v2/rpc by an admin, who has no node (agent-protocol.md §1.3) */
  v2InvalidToken: { status: 401, json: { jsonrpc: '2.0', id: 1, error: { code: -32001, message: 'invalid token' } } },
  /** a 401 to a HEAD request (the role gate's, or a bad preview token): the status, without a body */
  unauthorizedHead: { status: 401, text: '' },
  /** the public preview download without a valid preview token (komari-1.5.md §2.4) */
  invalidPreviewToken: { status: 401, json: { status: 'error', message: 'Invalid or expired preview token' } },
  /** past the agent gate, a file transfer request without its transfer token (komari-1.5.md §2.5) */
  transferCredentials: { status: 401, text: 'file transfer credentials are required' },
  /** the RPC ACL (rpc2.md §7.3), over POST /api/rpc2 and its WebSocket alike */
  rpcDenied: { rpcError: { code: -32041, message: 'Permission denied' } },
} as const;
export type DenialName = keyof typeof denials;

export interface Policy {
  allow: readonly CallerName[];
  /** how every caller outside `allow` is refused */
  deny: DenialName;
  /** callers refused in another way than `deny` */
  denyAs?: Partial<Record<CallerName, DenialName>>;
}

/** The request the matrix sends; by default path params are a real node, POST bodies `{}`. */
export interface Probe {
  /** path params (`uuid`, `task_id`, `id`, `*`) replacing the defaults */
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  /** RPC params (default `{}`) */
  rpcParams?: unknown;
}

export interface Expectation extends Policy {
  probe?: Probe;
  /** changes what later calls rely on (ends sessions): run after the others */
  last?: boolean;
}

const admins: readonly CallerName[] = ['apiKey', 'admin'];

// ---- Policies: a route or method names one of these. ----

/** no gate: everyone gets through (the handler may still refuse on its own terms) */
export const everyone: Policy = { allow: callers, deny: 'unauthorized' };
/** `/api/admin/*`: a session or the API key */
export const adminOnly: Policy = { allow: admins, deny: 'unauthorized' };
/** an admin route that needs a logged-in account (binding an SSO identity): the API key is refused too */
export const sessionOnly: Policy = { allow: ['admin'], deny: 'unauthorized' };
/** `/api/clients/*` gate: an agent token, a session or the API key */
export const agentOrAdmin: Policy = { allow: ['agent', ...admins], deny: 'unauthorized' };
/** a client:* method bound to `/api/clients/*`: the gate lets admins in, the RPC ACL does not */
export const agentOnly: Policy = { allow: ['agent'], deny: 'unauthorized', denyAs: { apiKey: 'permissionDenied', admin: 'permissionDenied' } };
/**
 * A browser WebSocket (`/api/rpc2`, `/api/clients`): open to all, but the wrong-key caller calls
 * like a script (no Origin, no `?token=`), so the origin check refuses its upgrade.
 */
export const browserSocket: Policy = { allow: ['guest', 'agent', 'expiredSession', 'apiKey', 'admin'], deny: 'forbiddenOrigin' };

export const rpcAnyone: Policy = { allow: callers, deny: 'rpcDenied' };
export const rpcAgent: Policy = { allow: ['agent'], deny: 'rpcDenied' };
export const rpcAdmin: Policy = { allow: admins, deny: 'rpcDenied' };

/** `HEAD` on an admin route: the gate's 401 carries no body. */
export const adminOnlyHead: Policy = { allow: admins, deny: 'unauthorizedHead' };
/**
 * `/api/clients/transfer/:id`: the agent gate, then the transfer's own credentials, which no probe
 * has (a transfer exists only while a relay waits for it; test/files-transfer-attacks.test.ts).
 */
export const transferRoute: Policy = {
  allow: [],
  deny: 'unauthorized',
  denyAs: { agent: 'transferCredentials', apiKey: 'transferCredentials', admin: 'transferCredentials' },
};

/** A node uuid that does not exist: routes that would change or open something get this one. */
export const nowhere = '00000000-0000-4000-8000-00000000a0a0';

/** Every REST route, keyed `METHOD pattern` (`ANY` for a route of every method). */
export const restRoutes: Record<string, Expectation> = {
  'ANY /ping': everyone,
  'GET /favicon.ico': everyone,
  'GET /themes/:id/*': everyone,

  'POST /api/login': everyone,
  'GET /api/logout': { ...everyone, last: true },
  'GET /api/me': everyone,
  'GET /api/public': everyone,
  'GET /api/version': everyone,
  'GET /api/openapi.json': everyone,
  'GET /metrics': adminOnly,
  'GET /api/agent/install.sh': everyone,
  'GET /api/agent/komari-agent.cjs': everyone,
  // a platform no server runs on: the route's answer (404) without streaming a runtime to each caller
  'GET /api/agent/node': { ...everyone, probe: { query: 'os=none&arch=none' } },
  'GET /api/nodes': everyone,
  'GET /api/recent/:uuid': everyone,
  'GET /api/records/load': { ...everyone, probe: { query: 'uuid={node}' } },
  'GET /api/records/ping': { ...everyone, probe: { query: 'uuid={node}' } },
  'GET /api/task/ping': everyone,
  'POST /api/rpc2': { ...everyone, probe: { body: { jsonrpc: '2.0', method: 'rpc.ping', id: 1 } } },
  'GET /api/rpc2': browserSocket,
  'GET /api/clients': browserSocket,
  'GET /api/oauth': everyone,
  'GET /api/oauth_callback': everyone,

  'POST /api/admin/update/user': adminOnly,
  'GET /api/admin/2fa/generate': adminOnly,
  // The API key passes the gate and gets Komari's 500 "No user found" from the handler.
  'GET /api/admin/oauth2/bind': adminOnly,
  'POST /api/admin/oauth2/unbind': adminOnly,
  'GET /api/admin/settings/oidc': adminOnly,
  'POST /api/admin/settings/oidc': adminOnly,
  'GET /api/admin/download/backup': adminOnly,
  'GET /api/admin/backup/status': adminOnly,
  'POST /api/admin/upload/init': adminOnly,
  'POST /api/admin/upload/chunk': adminOnly,
  'POST /api/admin/upload/merge': adminOnly,
  'POST /api/admin/upload/cancel': adminOnly,
  'POST /api/admin/upload/backup': adminOnly,
  'GET /api/admin/theme/list': adminOnly,
  'GET /api/admin/theme/set': adminOnly,
  'POST /api/admin/theme/delete': adminOnly,
  'PUT /api/admin/theme/upload': adminOnly,
  'POST /api/admin/theme/import': adminOnly,
  'POST /api/admin/theme/update': adminOnly,
  'GET /api/admin/settings/xtermjs': adminOnly,
  'POST /api/admin/settings/xtermjs': adminOnly,
  'POST /api/admin/record/clear': adminOnly,
  'POST /api/admin/record/clear/all': adminOnly,
  'GET /api/admin/database/size': adminOnly,
  'POST /api/admin/database/vacuum': adminOnly,
  'GET /api/admin/test/geoip': { ...adminOnly, probe: { query: 'ip=8.8.8.8' } },
  // The matrix's `{}` is not a database: admins get the 400 refusal, nothing is replaced.
  'POST /api/admin/update/mmdb': adminOnly,
  // `{}` is no image (400) and there is no favicon to delete (404): nothing changes.
  'PUT /api/admin/update/favicon': adminOnly,
  'POST /api/admin/update/favicon': adminOnly,
  'GET /api/admin/settings/support': adminOnly,
  'GET /api/admin/settings/message-sender': adminOnly,
  'POST /api/admin/settings/message-sender': adminOnly,
  'POST /api/admin/test/sendMessage': adminOnly,
  'GET /api/admin/notification/offline': adminOnly,
  'POST /api/admin/notification/offline/edit': adminOnly,
  'POST /api/admin/notification/offline/enable': adminOnly,
  'POST /api/admin/notification/offline/disable': adminOnly,
  'GET /api/admin/notification/load/': adminOnly,
  'POST /api/admin/notification/load/add': adminOnly,
  'POST /api/admin/notification/load/edit': adminOnly,
  'POST /api/admin/notification/load/delete': adminOnly,
  'GET /api/admin/notification/traffic-report/': adminOnly,
  'POST /api/admin/notification/traffic-report/edit': adminOnly,
  'POST /api/admin/notification/traffic-report/enable': adminOnly,
  'POST /api/admin/notification/traffic-report/disable': adminOnly,
  'GET /api/admin/alerts/channel-kinds': adminOnly,
  'GET /api/admin/alerts/channels': adminOnly,
  'POST /api/admin/alerts/channels/add': adminOnly,
  'POST /api/admin/alerts/channels/edit': adminOnly,
  'POST /api/admin/alerts/channels/delete': adminOnly,
  'POST /api/admin/alerts/channels/test': adminOnly,
  'GET /api/admin/alerts/ping': adminOnly,
  'POST /api/admin/alerts/ping/add': adminOnly,
  'POST /api/admin/alerts/ping/edit': adminOnly,
  'POST /api/admin/alerts/ping/delete': adminOnly,
  'GET /api/admin/alerts/history': adminOnly,
  'POST /api/admin/2fa/enable': adminOnly,
  'POST /api/admin/2fa/disable': adminOnly,
  'POST /api/admin/client/add': adminOnly,
  'GET /api/admin/client/list': adminOnly,
  'POST /api/admin/client/order': adminOnly,
  'GET /api/admin/client/:uuid': adminOnly,
  'POST /api/admin/client/:uuid/edit': adminOnly,
  'POST /api/admin/client/:uuid/remove': { ...adminOnly, probe: { params: { uuid: nowhere } } },
  'GET /api/admin/client/:uuid/token': adminOnly,
  'GET /api/admin/client/:uuid/terminal': { ...adminOnly, probe: { params: { uuid: nowhere } } },
  'GET /api/admin/settings/': adminOnly,
  'POST /api/admin/settings/': adminOnly,
  'GET /api/admin/session/get': adminOnly,
  'POST /api/admin/session/remove': adminOnly,
  'POST /api/admin/session/remove/all': { ...adminOnly, last: true },
  'GET /api/admin/logs': adminOnly,
  'GET /api/admin/ping/': adminOnly,
  'POST /api/admin/ping/add': adminOnly,
  'POST /api/admin/ping/edit': adminOnly,
  'POST /api/admin/ping/delete': adminOnly,
  'POST /api/admin/ping/order': adminOnly,
  'GET /api/admin/task/all': adminOnly,
  'POST /api/admin/task/exec': adminOnly,
  'GET /api/admin/task/:task_id': adminOnly,
  'GET /api/admin/task/:task_id/result': adminOnly,
  'GET /api/admin/task/:task_id/result/:uuid': adminOnly,
  'GET /api/admin/task/client/:uuid': adminOnly,
  'GET /api/admin/clipboard': adminOnly,
  'POST /api/admin/clipboard': adminOnly,
  'POST /api/admin/clipboard/remove': adminOnly,
  'GET /api/admin/clipboard/:id': adminOnly,
  'POST /api/admin/clipboard/:id': adminOnly,
  'POST /api/admin/clipboard/:id/remove': adminOnly,
  'GET /api/admin/theme/settings': { ...adminOnly, probe: { query: 'theme=AuthzProbe' } },
  'POST /api/admin/theme/settings': { ...adminOnly, probe: { query: 'theme=AuthzProbe' } },

  'GET /api/clients/report': agentOrAdmin,
  'POST /api/clients/report': agentOrAdmin,
  'POST /api/clients/uploadBasicInfo': agentOrAdmin,
  // Admins pass the gate; the v2 socket then answers -32001 and closes, past what the matrix follows.
  'GET /api/clients/v2/rpc': agentOrAdmin,
  'POST /api/clients/v2/rpc': {
    ...agentOnly,
    denyAs: { apiKey: 'v2InvalidToken', admin: 'v2InvalidToken' },
    probe: { body: { jsonrpc: '2.0', method: 'agent.event', params: { type: 'authz-matrix' }, id: 1 } },
  },
  'GET /api/clients/terminal': agentOrAdmin,
  // The file manager's data plane: past the gate, the transfer's own credentials decide (401 text).
  'GET /api/clients/transfer/:id': transferRoute,
  'POST /api/clients/transfer/:id': transferRoute,
  'PUT /api/clients/transfer/:id': agentOrAdmin,
  'PATCH /api/clients/transfer/:id': agentOrAdmin,
  'DELETE /api/clients/transfer/:id': agentOrAdmin,
  'POST /api/admin/client/:uuid/file/upload': adminOnly,
  'GET /api/admin/client/:uuid/file/download': adminOnly,
  'HEAD /api/admin/client/:uuid/file/download': adminOnlyHead,
  'GET /api/admin/client/:uuid/file/preview-token': adminOnly,
  // Public: a preview token (10 min, bound to the client and path) is the only guard (komari-1.5.md §2.4).
  'GET /api/preview/client/:uuid/file/download': { allow: [], deny: 'invalidPreviewToken' },
  'HEAD /api/preview/client/:uuid/file/download': { allow: [], deny: 'unauthorizedHead' },
  'GET /api/clients/ping/tasks': agentOnly,
  'POST /api/clients/ping/result': agentOnly,
  'POST /api/clients/task/result': agentOnly,
  // Outside the agent gate: its own auto-discovery key decides (403 without it, for everyone).
  'POST /api/clients/register': everyone,
};

/** Every RPC method of the registry, by name. */
export const rpcMethods: Record<string, Expectation> = {
  'rpc.help': rpcAnyone,
  'rpc.methods': rpcAnyone,
  'rpc.ping': rpcAnyone,
  'rpc.version': rpcAnyone,

  'common:getMe': rpcAnyone,
  'common:getNodeRecentStatus': rpcAnyone,
  'common:getNodes': rpcAnyone,
  'common:getNodesLatestStatus': rpcAnyone,
  'common:getPublicInfo': rpcAnyone,
  'common:getRecords': rpcAnyone,
  'common:getVersion': rpcAnyone,

  'public:getClientRecentRecords': rpcAnyone,
  'public:getMe': rpcAnyone,
  'public:getNodesInformation': rpcAnyone,
  'public:getPingRecords': rpcAnyone,
  'public:getPublicPingTasks': rpcAnyone,
  'public:getPublicSettings': rpcAnyone,
  'public:getRecordsByUUID': rpcAnyone,
  'public:getVersion': rpcAnyone,
  'public:recordVisitorEvent': rpcAnyone,
  'public:listMetricDefinitions': rpcAnyone,
  'public:queryMetrics': { ...rpcAnyone, probe: { rpcParams: { metric_key: 'cpu.usage' } } },
  'public:getPingMetricStats': rpcAnyone,

  'client:getPingTasks': rpcAgent,
  'client:taskResult': rpcAgent,
  'client:uploadPingResult': rpcAgent,

  'admin:addClient': rpcAdmin,
  'admin:getOidcProvider': rpcAdmin,
  'admin:setOidcProvider': rpcAdmin,
  'admin:getMessageSenderProvider': rpcAdmin,
  'admin:setMessageSenderProvider': rpcAdmin,
  'admin:listOfflineNotifications': rpcAdmin,
  'admin:editOfflineNotification': rpcAdmin,
  'admin:enableOfflineNotification': rpcAdmin,
  'admin:disableOfflineNotification': rpcAdmin,
  'admin:getAllLoadNotifications': rpcAdmin,
  'admin:addLoadNotification': rpcAdmin,
  'admin:editLoadNotification': rpcAdmin,
  'admin:deleteLoadNotification': rpcAdmin,
  'admin:listTrafficReportNotifications': rpcAdmin,
  'admin:editTrafficReportNotifications': rpcAdmin,
  'admin:enableTrafficReportNotifications': rpcAdmin,
  'admin:disableTrafficReportNotifications': rpcAdmin,
  'admin:switchAgentVersion': rpcAdmin,
  'admin:testSendMessage': rpcAdmin,
  'admin:sendNotification': rpcAdmin,
  'admin:listAlertChannelKinds': rpcAdmin,
  'admin:listAlertChannels': rpcAdmin,
  'admin:addAlertChannel': rpcAdmin,
  'admin:editAlertChannel': rpcAdmin,
  'admin:deleteAlertChannel': rpcAdmin,
  'admin:testAlertChannel': rpcAdmin,
  'admin:listPingAlertRules': rpcAdmin,
  'admin:addPingAlertRule': rpcAdmin,
  'admin:editPingAlertRule': rpcAdmin,
  'admin:deletePingAlertRule': rpcAdmin,
  'admin:listAlertHistory': rpcAdmin,
  'admin:addPingTask': rpcAdmin,
  'admin:deleteAllSessions': { ...rpcAdmin, last: true },
  'admin:clearRecords': rpcAdmin,
  'admin:clearAllRecords': rpcAdmin,
  'admin:getDatabaseSize': rpcAdmin,
  'admin:vacuumDatabase': rpcAdmin,
  'admin:getXtermjsSettings': rpcAdmin,
  'admin:setXtermjsSettings': rpcAdmin,
  'admin:deletePingTask': rpcAdmin,
  'admin:deleteSession': rpcAdmin,
  'admin:editClient': rpcAdmin,
  'admin:editPingTask': rpcAdmin,
  'admin:editSettings': rpcAdmin,
  'admin:exec': rpcAdmin,
  'admin:fileListRoots': rpcAdmin,
  'admin:fileList': rpcAdmin,
  'admin:fileStat': rpcAdmin,
  'admin:fileMkdir': rpcAdmin,
  'admin:fileDelete': rpcAdmin,
  'admin:fileMove': rpcAdmin,
  'admin:fileCopy': rpcAdmin,
  'admin:fileChmod': rpcAdmin,
  'admin:fileChown': rpcAdmin,
  'admin:fileSearch': rpcAdmin,
  'admin:fileRead': rpcAdmin,
  'admin:fileWrite': rpcAdmin,
  'admin:getAllPingTasks': rpcAdmin,
  'admin:getAgentStartupConfig': rpcAdmin,
  'admin:getClient': rpcAdmin,
  'admin:getClientToken': rpcAdmin,
  'admin:getLogs': rpcAdmin,
  'admin:getSessions': rpcAdmin,
  'admin:getSettings': rpcAdmin,
  'admin:getSpecificTaskResult': rpcAdmin,
  'admin:getTaskById': rpcAdmin,
  'admin:getTaskResultsByTaskId': rpcAdmin,
  'admin:getTasks': rpcAdmin,
  'admin:getTasksByClientId': rpcAdmin,
  'admin:listClients': rpcAdmin,
  'admin:orderClients': rpcAdmin,
  'admin:orderPingTask': rpcAdmin,
  'admin:removeClient': { ...rpcAdmin, probe: { rpcParams: { uuid: nowhere } } },
  'admin:setClientRemoteControl': { ...rpcAdmin, probe: { rpcParams: { uuid: nowhere, exec: false } } },
  'admin:listClipboard': rpcAdmin,
  'admin:getClipboard': rpcAdmin,
  'admin:createClipboard': rpcAdmin,
  'admin:updateClipboard': rpcAdmin,
  'admin:deleteClipboard': rpcAdmin,
  'admin:batchDeleteClipboard': rpcAdmin,
  'admin:testGeoip': rpcAdmin,
  'admin:getSettingsSupport': rpcAdmin,
  'admin:listMetricDefinitions': rpcAdmin,
  'admin:updateMetricDefinition': rpcAdmin,
  'admin:getMetricMigrationStatus': rpcAdmin,
  'admin:startMetricMigration': rpcAdmin,
  'admin:cancelMetricMigration': rpcAdmin,
};
