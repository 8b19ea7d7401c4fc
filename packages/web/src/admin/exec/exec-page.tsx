// Admin → Run commands: send a shell command to chosen nodes and watch each answer arrive
// (admin-api.md §5); earlier tasks stay listed below with their results.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.ts';
import { loadAdminNodes, nodeNamer } from '../shared/admin-nodes.ts';
import { errorText } from '../shared/error-text.ts';
import { listTasks } from './exec-api.ts';
import { ExecForm } from './exec-form.tsx';
import { TaskHistory } from './task-history.tsx';
import { TaskResults } from './task-results.tsx';
import { useOnlineNodes } from '../../lib/use-online-nodes.ts';
import '../shared/tools-page.css';
import './exec.css';

export default function ExecPage() {
  const { t } = useTranslation('admin-exec');
  const nodes = useAsync((signal) => loadAdminNodes(signal), []);
  const history = useAsync((signal) => listTasks(signal), []);
  const online = useOnlineNodes();
  const [taskId, setTaskId] = useState<string>();
  const nameOf = nodeNamer(nodes.data);

  const started = (id: string) => {
    setTaskId(id);
    history.reload();
  };

  return (
    <section className="tools-page exec-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
      </div>
      <p className="muted tools-intro">{t('intro')}</p>
      {nodes.error ? (
        <p className="error-text" role="alert">
          {errorText(t, nodes.error)}{' '}
          <button type="button" onClick={nodes.reload}>
            {t('common:retry')}
          </button>
        </p>
      ) : nodes.data ? (
        <ExecForm nodes={nodes.data} online={online} onStarted={started} />
      ) : (
        <p className="muted">{t('common:loading')}</p>
      )}
      {taskId && <TaskResults key={taskId} taskId={taskId} nameOf={nameOf} onDone={history.reload} />}
      <h2>{t('history.title')}</h2>
      {history.error ? (
        <p className="error-text">{errorText(t, history.error)}</p>
      ) : history.data ? (
        <TaskHistory tasks={history.data} selected={taskId} onSelect={setTaskId} />
      ) : (
        <p className="muted">{t('common:loading')}</p>
      )}
    </section>
  );
}
