import { alertBindings } from '../../alerts/bindings.ts';
import { clipboardBindings } from '../../clipboard/bindings.ts';
import type { Binding } from '../bind.ts';

/**
 * Every REST route that is a binding onto an RPC method, with Komari's envelope for it
 * (rpc2.md §11.3, admin-api.md §1). Trailing-slash variants are served by the router.
 */
export const bindings: readonly Binding[] = [
  { method: 'GET', url: '/api/me', rpc: 'public:getMe', render: 'raw' },
  { method: 'GET', url: '/api/public', rpc: 'public:getPublicSettings' },
  { method: 'GET', url: '/api/version', rpc: 'public:getVersion' },
  { method: 'GET', url: '/api/nodes', rpc: 'public:getNodesInformation' },
  { method: 'GET', url: '/api/recent/:uuid', rpc: 'public:getClientRecentRecords' },
  { method: 'GET', url: '/api/records/load', rpc: 'public:getRecordsByUUID', query: ['uuid', 'load_type', 'hours'] },
  { method: 'GET', url: '/api/records/ping', rpc: 'public:getPingRecords', query: ['uuid', 'task_id', 'hours'] },
  { method: 'GET', url: '/api/task/ping', rpc: 'public:getPublicPingTasks' },

  { method: 'POST', url: '/api/admin/client/add', rpc: 'admin:addClient', render: 'flat' },
  { method: 'GET', url: '/api/admin/client/list', rpc: 'admin:listClients', render: 'raw' },
  { method: 'POST', url: '/api/admin/client/order', rpc: 'admin:orderClients' },
  { method: 'GET', url: '/api/admin/client/:uuid', rpc: 'admin:getClient', render: 'raw' },
  { method: 'POST', url: '/api/admin/client/:uuid/edit', rpc: 'admin:editClient' },
  { method: 'POST', url: '/api/admin/client/:uuid/remove', rpc: 'admin:removeClient' },
  { method: 'GET', url: '/api/admin/client/:uuid/token', rpc: 'admin:getClientToken', render: 'flat' },

  { method: 'GET', url: '/api/admin/settings/', rpc: 'admin:getSettings' },
  { method: 'POST', url: '/api/admin/settings/', rpc: 'admin:editSettings' },
  { method: 'GET', url: '/api/admin/settings/support', rpc: 'admin:getSettingsSupport' },

  { method: 'GET', url: '/api/admin/session/get', rpc: 'admin:getSessions', render: 'flat' },
  { method: 'POST', url: '/api/admin/session/remove', rpc: 'admin:deleteSession' },
  { method: 'POST', url: '/api/admin/session/remove/all', rpc: 'admin:deleteAllSessions' },

  { method: 'GET', url: '/api/admin/settings/oidc', rpc: 'admin:getOidcProvider', query: ['provider'] },
  { method: 'POST', url: '/api/admin/settings/oidc', rpc: 'admin:setOidcProvider' },

  { method: 'GET', url: '/api/admin/settings/xtermjs', rpc: 'admin:getXtermjsSettings' },
  { method: 'POST', url: '/api/admin/settings/xtermjs', rpc: 'admin:setXtermjsSettings', message: 'settings saved' },

  { method: 'POST', url: '/api/admin/record/clear', rpc: 'admin:clearRecords' },
  { method: 'POST', url: '/api/admin/record/clear/all', rpc: 'admin:clearAllRecords' },
  { method: 'GET', url: '/api/admin/database/size', rpc: 'admin:getDatabaseSize' },
  { method: 'POST', url: '/api/admin/database/vacuum', rpc: 'admin:vacuumDatabase' },
  { method: 'GET', url: '/api/admin/test/geoip', rpc: 'admin:testGeoip', query: ['ip'] },

  { method: 'GET', url: '/api/admin/logs', rpc: 'admin:getLogs', query: ['limit', 'page'] },

  { method: 'GET', url: '/api/admin/ping/', rpc: 'admin:getAllPingTasks' },
  { method: 'POST', url: '/api/admin/ping/add', rpc: 'admin:addPingTask' },
  { method: 'POST', url: '/api/admin/ping/edit', rpc: 'admin:editPingTask' },
  { method: 'POST', url: '/api/admin/ping/delete', rpc: 'admin:deletePingTask' },
  { method: 'POST', url: '/api/admin/ping/order', rpc: 'admin:orderPingTask' },
  { method: 'GET', url: '/api/clients/ping/tasks', rpc: 'client:getPingTasks', render: 'raw' },
  { method: 'POST', url: '/api/clients/ping/result', rpc: 'client:uploadPingResult', render: 'raw' },

  { method: 'GET', url: '/api/admin/task/all', rpc: 'admin:getTasks' },
  { method: 'POST', url: '/api/admin/task/exec', rpc: 'admin:exec' },
  { method: 'GET', url: '/api/admin/task/:task_id', rpc: 'admin:getTaskById' },
  { method: 'GET', url: '/api/admin/task/:task_id/result', rpc: 'admin:getTaskResultsByTaskId' },
  { method: 'GET', url: '/api/admin/task/:task_id/result/:uuid', rpc: 'admin:getSpecificTaskResult' },
  { method: 'GET', url: '/api/admin/task/client/:uuid', rpc: 'admin:getTasksByClientId' },
  { method: 'POST', url: '/api/clients/task/result', rpc: 'client:taskResult', render: 'raw' },
  ...alertBindings,
  ...clipboardBindings,
];
