import type { Binding } from '../http/bind.ts';

/** Alerting's REST routes: Komari's (admin-api.md §3.5, §3.7, §13), then komari-ts's under /alerts. */
export const alertBindings: readonly Binding[] = [
  { method: 'GET', url: '/api/admin/settings/message-sender', rpc: 'admin:getMessageSenderProvider', query: ['provider'] },
  { method: 'POST', url: '/api/admin/settings/message-sender', rpc: 'admin:setMessageSenderProvider' },
  { method: 'POST', url: '/api/admin/test/sendMessage', rpc: 'admin:testSendMessage' },
  { method: 'GET', url: '/api/admin/notification/offline', rpc: 'admin:listOfflineNotifications' },
  { method: 'POST', url: '/api/admin/notification/offline/edit', rpc: 'admin:editOfflineNotification' },
  { method: 'POST', url: '/api/admin/notification/offline/enable', rpc: 'admin:enableOfflineNotification' },
  { method: 'POST', url: '/api/admin/notification/offline/disable', rpc: 'admin:disableOfflineNotification' },
  { method: 'GET', url: '/api/admin/notification/load/', rpc: 'admin:getAllLoadNotifications' },
  { method: 'POST', url: '/api/admin/notification/load/add', rpc: 'admin:addLoadNotification' },
  { method: 'POST', url: '/api/admin/notification/load/edit', rpc: 'admin:editLoadNotification' },
  { method: 'POST', url: '/api/admin/notification/load/delete', rpc: 'admin:deleteLoadNotification' },
  { method: 'GET', url: '/api/admin/notification/traffic-report/', rpc: 'admin:listTrafficReportNotifications' },
  { method: 'POST', url: '/api/admin/notification/traffic-report/edit', rpc: 'admin:editTrafficReportNotifications' },
  { method: 'POST', url: '/api/admin/notification/traffic-report/enable', rpc: 'admin:enableTrafficReportNotifications' },
  { method: 'POST', url: '/api/admin/notification/traffic-report/disable', rpc: 'admin:disableTrafficReportNotifications' },

  { method: 'GET', url: '/api/admin/alerts/channel-kinds', rpc: 'admin:listAlertChannelKinds' },
  { method: 'GET', url: '/api/admin/alerts/channels', rpc: 'admin:listAlertChannels' },
  { method: 'POST', url: '/api/admin/alerts/channels/add', rpc: 'admin:addAlertChannel' },
  { method: 'POST', url: '/api/admin/alerts/channels/edit', rpc: 'admin:editAlertChannel' },
  { method: 'POST', url: '/api/admin/alerts/channels/delete', rpc: 'admin:deleteAlertChannel' },
  { method: 'POST', url: '/api/admin/alerts/channels/test', rpc: 'admin:testAlertChannel' },
  { method: 'GET', url: '/api/admin/alerts/ping', rpc: 'admin:listPingAlertRules' },
  { method: 'POST', url: '/api/admin/alerts/ping/add', rpc: 'admin:addPingAlertRule' },
  { method: 'POST', url: '/api/admin/alerts/ping/edit', rpc: 'admin:editPingAlertRule' },
  { method: 'POST', url: '/api/admin/alerts/ping/delete', rpc: 'admin:deletePingAlertRule' },
  { method: 'GET', url: '/api/admin/alerts/history', rpc: 'admin:listAlertHistory', query: ['limit', 'page'] },
];
