import { z } from 'zod';
import type { ProviderItem } from './provider-item.ts';

/**
 * Alerting's wire shapes: what `/api/admin/notification/*` (Komari's routes, with komari-ts's
 * extra fields beside Komari's) and `/api/admin/alerts/*` (komari-ts's) send and accept. The
 * server validates with these schemas and the admin UI types its calls with them.
 */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00 to 23:59)');

/** A daily window in server local time; `start` after `end` wraps midnight. */
export const quietWindowSchema = z.object({
  start: hhmm,
  end: hhmm,
  /** what fired inside the window: one summary when it ends, or nothing */
  after: z.enum(['summary', 'drop']).default('summary'),
});
export type QuietWindowWire = z.output<typeof quietWindowSchema>;

/** `null` = every enabled channel; a list = those channel ids (0 = Komari's active sender). */
export const channelChoiceSchema = z.array(z.number().int().nonnegative()).max(64).nullable();

export interface ChannelKindWire {
  kind: string;
  /** one of Komari's six senders (or `empty`) */
  komari: boolean;
  fields: ProviderItem[];
  /** Apprise/Shoutrrr-style URL schemes this kind accepts (`tgram`, `ntfy`, …) */
  url_schemes: string[];
}

export interface ChannelWire {
  id: number;
  kind: string;
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  /** "" = the global `notification_template` */
  template: string;
  created_at: string;
}

export interface DeliveryResultWire {
  channel_id: number;
  channel: string;
  kind: string;
  ok: boolean;
  error: string;
  attempts: number;
  at: string;
}

export interface AlertRecordWire {
  id: number;
  kind: string;
  rule_id: number | null;
  node: string;
  nodes: Array<{ uuid: string; name: string }>;
  event: string;
  message: string;
  fired_at: string;
  resolved_at: string | null;
  open: boolean;
  results: DeliveryResultWire[];
}

/** Komari's OfflineNotification plus komari-ts's fields. */
export interface OfflineRuleWire {
  client: string;
  enable: boolean;
  grace_period: number;
  last_notified: string | null;
  channels: number[] | null;
  quiet: QuietWindowWire | null;
  /** where the node stands: `up`, `pending` (inside its grace) or `down` (Offline sent) */
  state: 'up' | 'pending' | 'down' | 'unknown';
  state_since: string | null;
}

/** Komari's LoadNotification plus komari-ts's fields. */
export interface LoadRuleWire {
  id: number;
  name: string;
  clients: string[];
  metric: string;
  threshold: number;
  ratio: number;
  interval: number;
  last_notified: string | null;
  consecutive: number;
  reminder_minutes: number;
  notify_resolved: boolean;
  channels: number[] | null;
  quiet: QuietWindowWire | null;
}

export interface PingRuleWire {
  id: number;
  name: string;
  enabled: boolean;
  task_id: number;
  clients: string[];
  loss_percent: number;
  latency_ms: number;
  window_minutes: number;
  reminder_minutes: number;
  notify_resolved: boolean;
  channels: number[] | null;
  quiet: QuietWindowWire | null;
}
