// The ping tasks as a table. Deleting asks once more in the row itself (a task's history goes
// with it), so there is no modal to dismiss on a phone.
import { useTranslation } from 'react-i18next';
import { RowActions } from '../shared/row-actions.tsx';
import { pingTypes, type PingTask, type PingType } from './ping-api.ts';
import { ProbeErrorBadges } from './probe-error-badges.tsx';

const isPingType = (v: string): v is PingType => (pingTypes as readonly string[]).includes(v);

interface Props {
  tasks: readonly PingTask[];
  nameOf: (uuid: string) => string;
  onEdit: (task: PingTask) => void;
  onDelete: (task: PingTask) => Promise<void>;
}

export function PingTable({ tasks, nameOf, onEdit, onDelete }: Props) {
  const { t } = useTranslation('admin-ping');
  if (tasks.length === 0) return <p className="card muted ping-empty">{t('empty')}</p>;
  return (
    <div className="table-scroll">
      <table className="grid tools-stack" data-testid="ping-table">
        <thead>
          <tr>
            <th>{t('columns.name')}</th>
            <th>{t('columns.type')}</th>
            <th>{t('columns.target')}</th>
            <th>{t('columns.interval')}</th>
            <th>{t('columns.nodes')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id} data-task-id={task.id}>
              <td className="tools-stack-main">
                <strong>{task.name}</strong>
                {task.probe_errors && task.probe_errors.length > 0 && <ProbeErrorBadges errors={task.probe_errors} nameOf={nameOf} />}
              </td>
              <td className="tools-stack-meta">
                <span className="ping-type">{isPingType(task.type) ? t(`types.${task.type}`) : task.type}</span>
              </td>
              <td className="tools-mono tools-stack-meta">{task.target}</td>
              <td className="tools-stack-meta">{t('intervalValue', { count: task.interval })}</td>
              <td className="tools-stack-meta" title={task.clients.map(nameOf).join(', ')}>
                {t('nodeCount', { count: task.clients.length })}
                {task.default_on && <span className="ping-badge">{t('defaultOnBadge')}</span>}
              </td>
              <td className="tools-stack-end">
                <RowActions onEdit={() => onEdit(task)} onDelete={() => onDelete(task)} confirmLabel={t('confirmDelete')} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
