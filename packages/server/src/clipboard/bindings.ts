import type { Binding } from '../http/bind.ts';

/**
 * The clipboard's REST routes (admin-api.md §1, §9). The router matches a static segment before a
 * parameter, so `POST /clipboard/remove` is the batch delete, never an update of id "remove".
 */
export const clipboardBindings: readonly Binding[] = [
  { method: 'GET', url: '/api/admin/clipboard', rpc: 'admin:listClipboard' },
  { method: 'POST', url: '/api/admin/clipboard', rpc: 'admin:createClipboard' },
  { method: 'POST', url: '/api/admin/clipboard/remove', rpc: 'admin:batchDeleteClipboard' },
  { method: 'GET', url: '/api/admin/clipboard/:id', rpc: 'admin:getClipboard' },
  { method: 'POST', url: '/api/admin/clipboard/:id', rpc: 'admin:updateClipboard' },
  { method: 'POST', url: '/api/admin/clipboard/:id/remove', rpc: 'admin:deleteClipboard' },
];
