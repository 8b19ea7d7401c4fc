// Admin → Ping tasks: the latency probes agents run (admin-api.md §4), listed, added, edited and
// deleted. One form at a time, above the list, for a new task or the one being edited.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.ts';
import { loadAdminNodes, nodeNamer } from '../shared/admin-nodes.ts';
import { errorText } from '../shared/error-text.ts';
import { deletePingTask, listPingTasks, type PingTask } from './ping-api.ts';
import { PingForm } from './ping-form.tsx';
import { PingTable } from './ping-table.tsx';
import '../shared/tools-page.css';
import './ping.css';
import { MessageLine } from '../../lib/message-line.tsx';

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; task: PingTask };

export default function PingPage() {
  const { t } = useTranslation('admin-ping');
  const tasks = useAsync((signal) => listPingTasks(signal), []);
  const nodes = useAsync((signal) => loadAdminNodes(signal), []);
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [error, setError] = useState('');

  const remove = async (task: PingTask) => {
    setError('');
    try {
      await deletePingTask(task.id);
      if (editing.kind === 'edit' && editing.task.id === task.id) setEditing({ kind: 'none' });
      tasks.reload();
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  const saved = () => {
    setEditing({ kind: 'none' });
    tasks.reload();
  };
  const loadError = tasks.error ?? nodes.error;

  return (
    <section className="tools-page ping-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
        {editing.kind === 'none' && (
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'new' })} data-testid="ping-add">
            {t('add')}
          </button>
        )}
      </div>
      <p className="muted tools-intro">{t('intro')}</p>
      {editing.kind !== 'none' && nodes.data && (
        <PingForm
          key={editing.kind === 'edit' ? editing.task.id : 'new'}
          task={editing.kind === 'edit' ? editing.task : undefined}
          nodes={nodes.data}
          onSaved={saved}
          onCancel={() => setEditing({ kind: 'none' })}
        />
      )}
      <MessageLine text={error} />
      {loadError ? (
        <p className="error-text" role="alert">
          {errorText(t, loadError)}{' '}
          <button type="button" onClick={() => (tasks.reload(), nodes.reload())}>
            {t('common:retry')}
          </button>
        </p>
      ) : tasks.data ? (
        <PingTable tasks={tasks.data} nameOf={nodeNamer(nodes.data)} onEdit={(task) => setEditing({ kind: 'edit', task })} onDelete={remove} />
      ) : (
        <p className="muted">{t('common:loading')}</p>
      )}
    </section>
  );
}
