// Ping history of one node: latency and loss per task over the chosen window, and each task's
// figures for that window.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { probeCode, probeDetail, probeReason } from '../lib/probe-error.ts';
import { HistoryStatus } from './history-status.tsx';
import type { PingTaskStats } from './node-wire.ts';
import { latencyModel, lossModel, pingTasks } from './ping-series.ts';
import { TimeChart } from './time-chart.tsx';
import { usePingRecords, windowOf } from './use-history.ts';

export function PingCharts({ uuid, hours }: { uuid: string; hours: number }) {
  const { t } = useTranslation('node');
  const state = usePingRecords(uuid, hours);
  const shown = state.data;
  const view = useMemo(() => {
    if (!shown) return undefined;
    const { records, tasks = [] } = shown.body;
    // A probe that could not run says why in the legend, not only as a line at 100 % loss.
    const named = tasks.map((task) =>
      task.probe_error ? { ...task, name: t('probe-errors:legend', { name: task.name, reason: probeReason(t, task.probe_error.code) }) } : task,
    );
    const lines = pingTasks(records, named);
    const latency = latencyModel(records, lines);
    return { tasks, latency, loss: lossModel(records, lines, shown.hours), range: windowOf(shown.hours, latency.xs) };
  }, [shown, t]);
  return (
    <section className="history-block" data-testid="ping-charts" data-hours={shown?.hours} aria-busy={state.loading}>
      <h2>{t('ping.title')}</h2>
      <HistoryStatus state={state} />
      {view && view.tasks.length === 0 && view.latency.xs.length === 0 && (
        <p className="card chart-empty" data-testid="ping-no-tasks">
          {t('ping.noTasks')}
        </p>
      )}
      {view && (view.tasks.length > 0 || view.latency.xs.length > 0) && (
        <>
          <div className="chart-grid">
            <TimeChart id="latency" title={t('ping.latency')} model={view.latency} range={view.range} axis="ms" syncKey="ping" fill={false} emptyText={t('ping.empty')} />
            <TimeChart id="loss" title={t('ping.loss')} model={view.loss} range={view.range} axis="percent" yMax={100} syncKey="ping" fill={false} emptyText={t('ping.empty')} />
          </div>
          <PingTaskTable tasks={view.tasks} />
        </>
      )}
    </section>
  );
}

function PingTaskTable({ tasks }: { tasks: readonly PingTaskStats[] }) {
  const { t } = useTranslation('node');
  if (tasks.length === 0) return null;
  // A real 0 ms (a probe on the same host) is a value; only a task without any answered probe
  // in the window has none: Komari then sends 0 for its min/avg/max, and the loss is 100 %.
  const answered = (task: PingTaskStats) => task.total > 0 && task.loss < 100;
  const ms = (task: PingTaskStats, v: number) => (answered(task) ? `${v} ms` : '—');
  return (
    <div className="table-scroll ping-table">
      <table className="grid">
        <thead>
          <tr>
            <th>{t('ping.task')}</th>
            <th>{t('ping.type')}</th>
            <th>{t('ping.interval')}</th>
            <th>{t('ping.avg')}</th>
            <th>{t('ping.min')}</th>
            <th>{t('ping.max')}</th>
            <th>{t('ping.lossShort')}</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id} data-task={task.id}>
              <td>
                {task.name}
                {task.probe_error && (
                  <span className="probe-error-note" data-testid="probe-error" data-code={probeCode(task.probe_error.code)} title={probeDetail(t, task.probe_error)}>
                    <span aria-hidden="true">⚠ </span>
                    {probeReason(t, task.probe_error.code)}
                  </span>
                )}
              </td>
              <td>{task.type.toUpperCase()}</td>
              <td>{t('ping.seconds', { n: task.interval })}</td>
              <td data-stat="avg">{ms(task, task.avg)}</td>
              <td data-stat="min">{ms(task, task.min)}</td>
              <td data-stat="max">{ms(task, task.max)}</td>
              <td data-stat="loss" className={task.loss > 0 ? 'error-text' : undefined}>{task.total > 0 ? `${+task.loss.toFixed(1)}%` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
