// The alert rules' routes: Komari's offline and load rules (/api/admin/notification/*, with
// komari-ts's fields beside Komari's) and komari-ts's latency/loss rules per ping task.
import type { LoadRuleWire, OfflineRuleWire, PingRuleWire } from '@komari-ts/protocol';
import { loadMetrics } from '@komari-ts/protocol/load-metrics';
import { apiGet, apiSend } from '../../lib/api.ts';

/** What a node without an offline row gets, as on the server: off, 3 minutes of grace. */
export const offlineDefaults = { enable: false, grace_period: 180 } as const;

export interface OfflineEdit {
  client: string;
  enable: boolean;
  grace_period: number;
  channels: number[] | null;
}

export const loadOfflineRules = (signal?: AbortSignal) => apiGet<OfflineRuleWire[]>('/api/admin/notification/offline', signal).then((l) => l ?? []);
/** Komari's edit takes an array: every changed row goes in one request. */
export const saveOfflineRules = (rows: OfflineEdit[]) => apiSend('/api/admin/notification/offline/edit', rows);

/** A load rule's fields as the add and edit routes take them. */
export type LoadRuleFields = Pick<
  LoadRuleWire,
  'name' | 'clients' | 'metric' | 'threshold' | 'ratio' | 'interval' | 'consecutive' | 'reminder_minutes' | 'notify_resolved' | 'channels'
>;

export const loadLoadRules = (signal?: AbortSignal) => apiGet<LoadRuleWire[]>('/api/admin/notification/load/', signal).then((l) => l ?? []);
export const addLoadRule = (f: LoadRuleFields) => apiSend<{ task_id: number }>('/api/admin/notification/load/add', f);
export const editLoadRule = (f: LoadRuleFields & { id: number }) => apiSend('/api/admin/notification/load/edit', { notifications: [f] });
export const deleteLoadRule = (id: number) => apiSend('/api/admin/notification/load/delete', { id: [id] });

export type PingRuleFields = Omit<PingRuleWire, 'id' | 'quiet'>;

export const loadPingRules = (signal?: AbortSignal) => apiGet<PingRuleWire[]>('/api/admin/alerts/ping', signal).then((l) => l ?? []);
export const addPingRule = (f: PingRuleFields) => apiSend<{ id: number }>('/api/admin/alerts/ping/add', f);
export const editPingRule = (f: PingRuleFields & { id: number }) => apiSend('/api/admin/alerts/ping/edit', f);
export const deletePingRule = (id: number) => apiSend('/api/admin/alerts/ping/delete', { id: [id] });

export { loadMetrics };
export const isLoadMetric = (m: string) => (loadMetrics as readonly string[]).includes(m);
