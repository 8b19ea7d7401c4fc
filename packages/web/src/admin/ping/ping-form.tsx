// Adding or editing one ping task. Nothing is saved until both our checks and the server's pass;
// a refusal is shown beside the button and the task list stays as it was.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminNode } from '../shared/admin-nodes.ts';
import { errorText } from '../shared/error-text.ts';
import { NodePicker } from '../shared/node-picker.tsx';
import { addPingTask, editPingTask, formProblem, maxIntervalSeconds, pingTypes, scopeOf, type PingScope, type PingTask, type PingTaskFields, type PingTaskInput } from './ping-api.ts';
import { MessageLine } from '../../lib/message-line.tsx';

interface Props {
  /** the task being edited; a new task otherwise */
  task?: PingTask;
  nodes: readonly AdminNode[];
  onSaved: () => void;
  onCancel: () => void;
}

export function PingForm({ task, nodes, onSaved, onCancel }: Props) {
  const { t } = useTranslation('admin-ping');
  const [name, setName] = useState(task?.name ?? '');
  const [type, setType] = useState(task?.type ?? 'icmp');
  const [target, setTarget] = useState(task?.target ?? '');
  const [interval, setIntervalText] = useState(String(task?.interval ?? 60));
  const [scope, setScope] = useState<PingScope>(() => scopeOf(task, nodes));
  const [defaultOn, setDefaultOn] = useState(task?.default_on ?? false);
  const [clients, setClients] = useState<Set<string>>(new Set(task?.clients ?? []));
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const all = scope === 'all';
    const fields: PingTaskFields = {
      name: name.trim(), type, target: target.trim(), interval: Number(interval),
      default_on: all || defaultOn, clients: all ? nodes.map((n) => n.uuid) : [...clients],
    };
    const problem = formProblem(fields, interval, scope);
    if (problem) return setError(t(problem, { max: maxIntervalSeconds }));
    // the server puts an `all` task on every server it has, including one added since this page loaded
    const input: PingTaskInput = all ? { ...fields, all: true } : fields;
    setBusy(true);
    setError('');
    try {
      if (task) await editPingTask({ ...input, id: task.id });
      else await addPingTask(input);
      onSaved();
    } catch (err) {
      setError(errorText(t, err));
      setBusy(false);
    }
  };

  return (
    <form className="card ping-form" onSubmit={(e) => void submit(e)} data-testid="ping-form" noValidate>
      <h2>{task ? t('form.editTitle', { name: task.name }) : t('form.addTitle')}</h2>
      <div className="ping-form-row">
        <label>
          <span>{t('form.name')}</span>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={255} autoFocus />
        </label>
        <label>
          <span>{t('form.type')}</span>
          <select name="type" value={type} onChange={(e) => setType(e.target.value)}>
            {pingTypes.map((p) => (
              <option key={p} value={p}>
                {t(`types.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="ping-form-target">
          <span>{t('form.target')}</span>
          <input name="target" value={target} onChange={(e) => setTarget(e.target.value)} placeholder={t(`form.targetHint.${type}`)} spellCheck={false} autoCapitalize="off" />
        </label>
        <label>
          <span>{t('form.interval')}</span>
          <input name="interval" type="number" inputMode="numeric" min={1} max={maxIntervalSeconds} value={interval} onChange={(e) => setIntervalText(e.target.value)} />
        </label>
      </div>
      <fieldset className="ping-scope" data-testid="ping-scope">
        <legend>{t('form.scope')}</legend>
        <label className="inline">
          <input type="radio" name="scope" value="chosen" checked={scope === 'chosen'} onChange={() => setScope('chosen')} />
          <span>{t('form.scopeChosen')}</span>
        </label>
        <label className="inline">
          <input type="radio" name="scope" value="all" checked={scope === 'all'} onChange={() => setScope('all')} />
          <span>{t('form.scopeAll')}</span>
        </label>
      </fieldset>
      {scope === 'chosen' && (
        <>
          <NodePicker nodes={nodes} selected={clients} onChange={setClients} label={t('form.nodes')} />
          <label className="inline">
            <input type="checkbox" name="default_on" checked={defaultOn} onChange={(e) => setDefaultOn(e.target.checked)} />
            <span>{t('form.defaultOn')}</span>
          </label>
        </>
      )}
      <MessageLine text={error} testId="ping-error" />
      <div className="tools-actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('common:save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common:cancel')}
        </button>
      </div>
    </form>
  );
}
