// Earlier exec tasks, newest first; choosing one shows its results above.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../logs/time-text.ts';
import { resultState, resultStates, type ExecTask } from './exec-api.ts';

const pageSize = 20;

interface Props {
  tasks: readonly ExecTask[];
  selected: string | undefined;
  onSelect: (taskId: string) => void;
}

export function TaskHistory({ tasks, selected, onSelect }: Props) {
  const { t, i18n } = useTranslation('admin-exec');
  const [shown, setShown] = useState(pageSize);
  if (tasks.length === 0) return <p className="muted">{t('history.empty')}</p>;
  return (
    <>
      <ul className="exec-history" data-testid="exec-history">
        {tasks.slice(0, shown).map((task) => {
          const states = task.results.map(resultState);
          // "3 servers: 2 done, 1 offline": only the states that occur
          const parts = resultStates.flatMap((state) => {
            const count = states.filter((x) => x === state).length;
            return count ? [t(`history.part.${state}`, { count })] : [];
          });
          return (
            <li key={task.task_id}>
              <button type="button" className={task.task_id === selected ? 'exec-history-item current' : 'exec-history-item'} onClick={() => onSelect(task.task_id)}>
                <code className="exec-command">{task.command}</code>
                <span className="muted">
                  {formatDateTime(task.results[0]?.created_at, i18n.language)}
                  {' · '}
                  {t('history.summary', { count: states.length, parts: parts.join(t('history.separator')) })}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {tasks.length > shown && (
        <button type="button" onClick={() => setShown((n) => n + pageSize)}>
          {t('history.more')}
        </button>
      )}
    </>
  );
}
