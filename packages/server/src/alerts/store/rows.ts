import type { AlertRecord, ChannelChoice, ChannelRow, LoadRule, OfflineRule, PingRule, QuietWindow } from './types.ts';

/**
 * The alert tables' rows as the rules and records the service holds, and the columns a patch
 * writes, for both engines: they differ only in how a boolean is stored (SQLite 1/0, PostgreSQL
 * true/false) and in quoting the column named `interval` (a keyword in PostgreSQL).
 */
export interface AlertRowDialect {
  truth(v: unknown): boolean;
  bool(v: boolean): unknown;
  intervalColumn: string;
}

export const sqliteAlertRows: AlertRowDialect = { truth: (v) => v === 1, bool: (v) => (v ? 1 : 0), intervalColumn: 'interval' };
export const pgAlertRows: AlertRowDialect = { truth: (v) => v === true, bool: (v) => Boolean(v), intervalColumn: '"interval"' };

export type Row = Record<string, unknown>;

export function json<T>(text: unknown, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(String(text)) as T;
  } catch {
    return fallback;
  }
}

/** BIGINT columns come back from `pg` as strings (they may exceed 2^53); the rows hold numbers. */
export const orNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const channelsText = (c: ChannelChoice | undefined): string | null => (c ? JSON.stringify(c) : null);
const quietText = (q: QuietWindow | null | undefined): string | null => (q ? JSON.stringify(q) : null);

/** Field → [column, encode]: a patch writes only the fields it has; column names never come from input. */
export type Columns = Record<string, [column: string, encode: (v: never) => unknown]>;

const same = (v: unknown): unknown => v;
const list = (v: string[]): string => JSON.stringify(v);

/** The mappers and patch columns of one engine. */
export function alertRows(d: AlertRowDialect) {
  const bool = (v: boolean): unknown => d.bool(v);
  function toOffline(r: Row): OfflineRule {
    return {
      client: String(r.client),
      enable: d.truth(r.enable),
      gracePeriod: Number(r.grace_period),
      lastNotified: orNull(r.last_notified),
      channels: json<ChannelChoice>(r.channels, null),
      quiet: json<QuietWindow | null>(r.quiet, null),
    };
  }

  function toLoad(r: Row): LoadRule {
    return {
      id: Number(r.id),
      name: String(r.name),
      clients: json<string[]>(r.clients, []),
      metric: String(r.metric),
      threshold: Number(r.threshold),
      ratio: Number(r.ratio),
      interval: Number(r.interval),
      lastNotified: orNull(r.last_notified),
      consecutive: Number(r.consecutive),
      reminderMinutes: Number(r.reminder_minutes),
      notifyResolved: d.truth(r.notify_resolved),
      channels: json<ChannelChoice>(r.channels, null),
      quiet: json<QuietWindow | null>(r.quiet, null),
    };
  }

  function toPing(r: Row): PingRule {
    return {
      id: Number(r.id),
      name: String(r.name),
      enabled: d.truth(r.enabled),
      taskId: Number(r.task_id),
      clients: json<string[]>(r.clients, []),
      lossPercent: Number(r.loss_percent),
      latencyMs: Number(r.latency_ms),
      windowMinutes: Number(r.window_minutes),
      reminderMinutes: Number(r.reminder_minutes),
      notifyResolved: d.truth(r.notify_resolved),
      channels: json<ChannelChoice>(r.channels, null),
      quiet: json<QuietWindow | null>(r.quiet, null),
    };
  }

  function toChannel(r: Row): ChannelRow {
    return {
      id: Number(r.id),
      kind: String(r.kind),
      name: String(r.name),
      config: json<Record<string, unknown>>(r.config, {}),
      enabled: d.truth(r.enabled),
      template: String(r.template),
      createdAt: Number(r.created_at),
    };
  }

  function toRecord(r: Row): AlertRecord {
    return {
      id: Number(r.id),
      kind: String(r.kind),
      ruleId: orNull(r.rule_id),
      node: String(r.node),
      nodes: json(r.nodes, []),
      event: String(r.event),
      message: String(r.message),
      firedAt: Number(r.fired_at),
      resolvedAt: orNull(r.resolved_at),
      open: d.truth(r.open),
      results: json(r.results, []),
    };
  }

  const loadColumns: Columns = {
    name: ['name', same],
    clients: ['clients', list],
    metric: ['metric', same],
    threshold: ['threshold', same],
    ratio: ['ratio', same],
    interval: [d.intervalColumn, same],
    consecutive: ['consecutive', same],
    reminderMinutes: ['reminder_minutes', same],
    notifyResolved: ['notify_resolved', bool],
    channels: ['channels', channelsText],
    quiet: ['quiet', quietText],
  };

  const pingColumns: Columns = {
    name: ['name', same],
    enabled: ['enabled', bool],
    taskId: ['task_id', same],
    clients: ['clients', list],
    lossPercent: ['loss_percent', same],
    latencyMs: ['latency_ms', same],
    windowMinutes: ['window_minutes', same],
    reminderMinutes: ['reminder_minutes', same],
    notifyResolved: ['notify_resolved', bool],
    channels: ['channels', channelsText],
    quiet: ['quiet', quietText],
  };

  const channelColumns: Columns = {
    kind: ['kind', same],
    name: ['name', same],
    config: ['config', (v: Record<string, unknown>) => JSON.stringify(v)],
    enabled: ['enabled', bool],
    template: ['template', same],
  };

  const trafficReportColumns: Columns = {
    enable: ['enable', bool],
    daily: ['daily', bool],
    weekly: ['weekly', bool],
    monthly: ['monthly', bool],
  };

  const offlineColumns: Columns = {
    enable: ['enable', bool],
    gracePeriod: ['grace_period', same],
    lastNotified: ['last_notified', same],
    channels: ['channels', channelsText],
    quiet: ['quiet', quietText],
  };

  return { toOffline, toLoad, toPing, toChannel, toRecord, loadColumns, pingColumns, channelColumns, trafficReportColumns, offlineColumns };
}
