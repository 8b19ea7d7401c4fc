import { z } from 'zod';
import { AppError } from '../errors.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';
import { definitionWire, metricByName, metricDefinitions, retentionDays } from './definitions.ts';
import { pingMetricStats, pingStatsParams, pingStatsPositional } from './ping-stats.ts';
import { queryMetrics, queryParams, queryPositional } from './query.ts';

/** komari-ts has one SQLite database and no separate metric store (records.md §10). */
const noMetricStore = 'komari-ts keeps history in its one database: there is no separate metric store to migrate';

const unimplemented = (message: string) => new AppError(-32050, message);

export const metricMethods: MethodDef[] = [
  defineMethod({
    name: 'public:listMetricDefinitions',
    summary: 'The built-in metrics and their retention',
    params: noParams,
    handler: (_p, { app }) => metricDefinitions.map((d) => definitionWire(d, app.history.tiers)),
  }),
  defineMethod({
    name: 'public:queryMetrics',
    summary: 'Metric series of visible nodes, from the history tiers',
    params: queryParams,
    positional: queryPositional,
    handler: (p, { app, caller }) => queryMetrics(app, caller, p),
  }),
  defineMethod({
    name: 'public:getPingMetricStats',
    summary: 'Ping statistics per node and task, from the ping history tiers',
    params: pingStatsParams,
    positional: pingStatsPositional,
    handler: (p, { app, caller }) => pingMetricStats(app, caller, p),
  }),
  defineMethod({
    name: 'admin:listMetricDefinitions',
    summary: 'The built-in metrics and their retention',
    params: noParams,
    handler: (_p, { app }) => metricDefinitions.map((d) => definitionWire(d, app.history.tiers)),
  }),
  defineMethod({
    name: 'admin:updateMetricDefinition',
    summary: "A metric's retention: komari-ts keeps one retention for every metric (history_retention)",
    params: z.object({ name: z.string(), retention_days: z.number().int().min(0) }),
    positional: ['name', 'retention_days'],
    handler: (p, { app }) => {
      const def = metricByName(p.name);
      if (!def) throw AppError.invalidParams(`unknown metric key: ${p.name.slice(0, 128)}`);
      const days = retentionDays(app.history.tiers);
      // The one retention in force is accepted as a no-op: a UI saving the form unchanged works.
      if (p.retention_days === days) return definitionWire(def, app.history.tiers);
      throw AppError.invalidParams(
        `komari-ts keeps one retention for every metric (${days} days, the longest tier of history_retention): change history_retention in the settings; per-metric retention_days cannot be set`,
      );
    },
  }),
  defineMethod({ name: 'admin:getMetricMigrationStatus', summary: noMetricStore, params: noParams, handler: () => Promise.reject(unimplemented(noMetricStore)) }),
  defineMethod({ name: 'admin:startMetricMigration', summary: noMetricStore, params: z.object({}).passthrough(), handler: () => Promise.reject(unimplemented(noMetricStore)) }),
  defineMethod({ name: 'admin:cancelMetricMigration', summary: noMetricStore, params: noParams, handler: () => Promise.reject(unimplemented(noMetricStore)) }),
];
