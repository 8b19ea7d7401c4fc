import { trafficUsed } from '@komari-ts/protocol';
import type { AlertService } from '../alert-service.ts';
import type { TrafficReportRule } from '../store/types.ts';
import { komariSize, localDate } from '../template.ts';

type Cadence = 'daily' | 'weekly' | 'monthly';

interface Period {
  cadence: Cadence;
  /** identifies the period that is now current; a change means the previous one just ended */
  key: string;
  from: number;
  to: number;
}

const events: Record<Cadence, { event: string; emoji: string; suffix: string }> = {
  daily: { event: 'DReport', emoji: '📊', suffix: '昨日流量' },
  weekly: { event: 'WReport', emoji: '📈', suffix: '上周流量' },
  monthly: { event: 'MReport', emoji: '📅', suffix: '上个月流量' },
};

/** the setting keeping which periods were last reported, so a restart neither repeats nor floods */
const lastRunKey = 'traffic_report_last_run';

/** The period that just ended for each cadence, in server local time (notifications.md §8). */
export function endedPeriods(now: number): Period[] {
  const d = new Date(now);
  const today = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  const monday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - ((today.getDay() + 6) % 7));
  const lastMonday = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() - 7);
  const first = new Date(today.getFullYear(), today.getMonth(), 1);
  const lastFirst = new Date(first.getFullYear(), first.getMonth() - 1, 1);
  return [
    { cadence: 'daily', key: localDate(today.getTime()), from: yesterday.getTime(), to: today.getTime() },
    { cadence: 'weekly', key: localDate(monday.getTime()), from: lastMonday.getTime(), to: monday.getTime() },
    { cadence: 'monthly', key: localDate(first.getTime()), from: lastFirst.getTime(), to: first.getTime() },
  ];
}

/**
 * Komari's traffic reports (deprecated in Komari 1.5, kept for its admin UI): after local midnight
 * the previous day's, after Monday 00:00 the previous week's, after the 1st the previous month's
 * traffic of every node that asked for it, summed from the hourly rollups' traffic deltas and
 * combined by the node's `traffic_limit_type`. Lines are joined by newlines (Komari wedges a
 * bilingual deprecation notice between them).
 */
export class TrafficReports {
  readonly #alerts: AlertService;

  constructor(alerts: AlertService) {
    this.#alerts = alerts;
  }

  async tick(): Promise<void> {
    const { settings, clock, store } = this.#alerts.app;
    const periods = endedPeriods(clock.now());
    const last = (settings.all()[lastRunKey] ?? {}) as Partial<Record<Cadence, string>>;
    const due = periods.filter((p) => last[p.cadence] !== p.key);
    if (due.length === 0) return;
    const next = { ...last, ...Object.fromEntries(due.map((p) => [p.cadence, p.key])) };
    await settings.update({ [lastRunKey]: next });
    // The first start only marks where it stands: no report of a period it never watched.
    if (Object.keys(last).length === 0) return;
    const rules = (await store.alerts.trafficReportRules()).filter((r) => r.enable);
    for (const p of due) await this.#report(p, rules.filter((r) => r[p.cadence]));
  }

  async #report(p: Period, rules: readonly TrafficReportRule[]): Promise<void> {
    if (rules.length === 0) return;
    const { store, history } = this.#alerts.app;
    const width = [...history.tiers].reverse().find((t) => t.bucketSeconds <= 3600)?.bucketSeconds ?? history.tiers[0]!.bucketSeconds;
    const lines: string[] = [];
    const nodes: string[] = [];
    for (const r of rules) {
      const node = await store.nodes.get(r.client);
      if (!node) continue;
      let up = 0;
      let down = 0;
      for (const b of await history.buckets(r.client, width, p.from, p.to - 1)) {
        up += b.trafficUp;
        down += b.trafficDown;
      }
      lines.push(`${node.name || node.uuid}${events[p.cadence].suffix}：${komariSize(trafficUsed(node.traffic_limit_type.toLowerCase(), up, down))}`);
      nodes.push(node.uuid);
    }
    if (lines.length === 0) return;
    const e = events[p.cadence];
    await this.#alerts.fire({ kind: 'traffic-report', event: e.event, emoji: e.emoji, message: lines.join('\n'), nodes });
  }
}
