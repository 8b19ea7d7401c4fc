// Alerting's REST routes for the channels and history tabs and the alert settings: Komari's own
// (settings, its one active message sender, the test message) and komari-ts's /api/admin/alerts/*.
// Rules have theirs in rules-api.ts.
import type { AlertRecordWire, ChannelKindWire, ChannelWire, DeliveryResultWire, ProviderItem, QuietWindowWire } from '@komari-ts/protocol';
import { apiGet, apiSend } from '../../lib/api.ts';

const alerts = '/api/admin/alerts';

/** The settings alerting reads; the rest of GET /settings/ is passed through untouched. */
export interface AlertSettings {
  notification_enabled: boolean;
  notification_method: string;
  notification_template: string;
  expire_notification_enabled: boolean;
  expire_notification_lead_days: number;
  expire_notification_hour: number;
  login_notification: boolean;
  traffic_limit_percentage: number;
  alert_quiet_hours: QuietWindowWire | null;
}

export const loadAlertSettings = (signal?: AbortSignal) => apiGet<AlertSettings>('/api/admin/settings/', signal);
/** Only the keys given are written; the server names the key it refuses. */
export const saveAlertSettings = (partial: Partial<AlertSettings>) => apiSend('/api/admin/settings/', partial);

export const loadSenderSchemas = (signal?: AbortSignal) => apiGet<Record<string, ProviderItem[]>>('/api/admin/settings/message-sender', signal);

/** A sender's saved config; an empty or unreadable `addition` reads as nothing saved. */
export async function loadSenderConfig(name: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const row = await apiGet<{ name: string; addition: string } | null>(`/api/admin/settings/message-sender?provider=${encodeURIComponent(name)}`, signal);
  try {
    const parsed: unknown = JSON.parse(row?.addition || '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `addition` travels as a JSON string, as Komari's UI sends it. */
export const saveSenderConfig = (name: string, config: Record<string, unknown>) =>
  apiSend('/api/admin/settings/message-sender', { name, addition: JSON.stringify(config) });

/** Komari's test: a Test event through everything enabled. */
export const sendKomariTest = () => apiSend('/api/admin/test/sendMessage');

export const loadChannelKinds = (signal?: AbortSignal) => apiGet<ChannelKindWire[]>(`${alerts}/channel-kinds`, signal).then((l) => l ?? []);
export const loadChannels = (signal?: AbortSignal) => apiGet<ChannelWire[]>(`${alerts}/channels`, signal).then((l) => l ?? []);

export type NewChannel = { name: string; enabled: boolean; template: string } & ({ kind: string; config: Record<string, unknown> } | { url: string });

export const addChannel = (c: NewChannel) => apiSend<{ id: number }>(`${alerts}/channels/add`, c);
export const editChannel = (c: { id: number; name?: string; config?: Record<string, unknown>; enabled?: boolean; template?: string }) =>
  apiSend(`${alerts}/channels/edit`, c);
export const deleteChannel = (id: number) => apiSend(`${alerts}/channels/delete`, { id });
export const testChannel = (id: number) => apiSend<{ results: DeliveryResultWire[] }>(`${alerts}/channels/test`, { id });

export interface HistoryPage {
  items: AlertRecordWire[];
  total: number;
}

export const loadHistory = (page: number, limit: number, signal?: AbortSignal) =>
  apiGet<HistoryPage>(`${alerts}/history?limit=${limit}&page=${page}`, signal).then((h) => ({ items: h?.items ?? [], total: h?.total ?? 0 }));
