import type { AlertRecordWire, ChannelWire, DeliveryResultWire, LoadRuleWire, OfflineRuleWire, PingRuleWire } from '@komari-ts/protocol';
import { formatTime } from '../util/time.ts';
import type { AlertRecord, ChannelRow, DeliveryResult, LoadRule, OfflineRule, OfflineState, PingRule } from './store/types.ts';

const timeOrNull = (ms: number | null): string | null => (ms === null ? null : formatTime(ms));

export function offlineRuleWire(r: OfflineRule, s: OfflineState | undefined): OfflineRuleWire {
  return {
    client: r.client,
    enable: r.enable,
    grace_period: r.gracePeriod,
    last_notified: timeOrNull(r.lastNotified),
    channels: r.channels,
    quiet: r.quiet,
    state: s?.state ?? 'unknown',
    state_since: s ? formatTime(s.since) : null,
  };
}

export function loadRuleWire(r: LoadRule): LoadRuleWire {
  return {
    id: r.id,
    name: r.name,
    clients: r.clients,
    metric: r.metric,
    threshold: r.threshold,
    ratio: r.ratio,
    interval: r.interval,
    last_notified: timeOrNull(r.lastNotified),
    consecutive: r.consecutive,
    reminder_minutes: r.reminderMinutes,
    notify_resolved: r.notifyResolved,
    channels: r.channels,
    quiet: r.quiet,
  };
}

export function pingRuleWire(r: PingRule): PingRuleWire {
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    task_id: r.taskId,
    clients: r.clients,
    loss_percent: r.lossPercent,
    latency_ms: r.latencyMs,
    window_minutes: r.windowMinutes,
    reminder_minutes: r.reminderMinutes,
    notify_resolved: r.notifyResolved,
    channels: r.channels,
    quiet: r.quiet,
  };
}

export function channelWire(r: ChannelRow): ChannelWire {
  return { id: r.id, kind: r.kind, name: r.name, enabled: r.enabled, config: r.config, template: r.template, created_at: formatTime(r.createdAt) };
}

export function recordWire(r: AlertRecord): AlertRecordWire {
  return {
    id: r.id,
    kind: r.kind,
    rule_id: r.ruleId,
    node: r.node,
    nodes: r.nodes,
    event: r.event,
    message: r.message,
    fired_at: formatTime(r.firedAt),
    resolved_at: timeOrNull(r.resolvedAt),
    open: r.open,
    results: r.results.map(deliveryResultWire),
  };
}

export function deliveryResultWire(x: DeliveryResult): DeliveryResultWire {
  return { channel_id: x.channelId, channel: x.channel, kind: x.kind, ok: x.ok, error: x.error, attempts: x.attempts, at: formatTime(x.at) };
}
