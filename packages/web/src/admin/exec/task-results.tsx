// The outcome of one exec task, node by node: output, exit code, and whether it is still running.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../logs/time-text.ts';
import { errorText } from '../shared/error-text.ts';
import { isDone, resultState, type TaskResult } from './exec-api.ts';
import { useTaskPoll } from './use-task-poll.ts';

interface Props {
  taskId: string;
  nameOf: (uuid: string) => string;
  /** every node has answered (the history's summary is then out of date) */
  onDone?: () => void;
}

export function TaskResults({ taskId, nameOf, onDone }: Props) {
  const { t } = useTranslation('admin-exec');
  const { task, error } = useTaskPoll(taskId);
  const done = task ? isDone(task) : false;
  useEffect(() => {
    if (done) onDone?.();
  }, [done, onDone]);
  if (!task) return <p className={error ? 'error-text' : 'muted'}>{error ? errorText(t, error) : t('common:loading')}</p>;
  const finished = task.results.filter((r) => r.finished_at !== null).length;
  return (
    <section className="card exec-results" data-testid="exec-results" aria-live="polite">
      <div className="exec-results-head">
        <code className="exec-command">{task.command}</code>
        <span className={done ? 'muted' : 'exec-running'}>{t('results.progress', { finished, total: task.results.length })}</span>
      </div>
      {error && <p className="error-text">{errorText(t, error)}</p>}
      <ul className="exec-result-list">
        {task.results.map((r) => (
          <ResultItem key={r.client} result={r} name={nameOf(r.client)} />
        ))}
      </ul>
    </section>
  );
}

function ResultItem({ result, name }: { result: TaskResult; name: string }) {
  const { t, i18n } = useTranslation('admin-exec');
  const state = resultState(result);
  return (
    <li className={`exec-result exec-${state}`} data-client={result.client} data-state={state}>
      <div className="exec-result-head">
        <strong>{name}</strong>
        <span className="exec-state">{t(`results.state.${state}`)}</span>
        {result.exit_code !== null && state !== 'offline' && <span className="muted">{t('results.exitCode', { code: result.exit_code })}</span>}
        {result.finished_at && <span className="muted exec-time">{formatDateTime(result.finished_at, i18n.language)}</span>}
        <a className="exec-terminal-link" href={`/terminal?uuid=${encodeURIComponent(result.client)}`} target="_blank" rel="noreferrer">
          {t('results.terminal')}
        </a>
      </div>
      {state === 'pending' ? null : state === 'offline' ? (
        <p className="muted exec-note">{t('results.offlineNote')}</p>
      ) : result.result ? (
        <pre className="exec-output" data-testid="exec-output">
          {result.result}
        </pre>
      ) : (
        <p className="muted exec-note">{t('results.noOutput')}</p>
      )}
    </li>
  );
}
