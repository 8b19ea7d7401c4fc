// Adding or editing a latency/loss rule on a ping task: it fires when, over the window, a node's
// loss or its average latency passes the limit. No nodes chosen = every node of the task.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelWire, PingRuleWire } from '@komari-ts/protocol';
import { MessageLine } from '../../lib/message-line.tsx';
import { DialogActions, Modal } from '../nodes/modal.tsx';
import type { PingTask } from '../ping/ping-api.ts';
import type { AdminNode } from '../shared/admin-nodes.ts';
import { NodePicker } from '../shared/node-picker.tsx';
import { NumberField } from './number-field.tsx';
import { FormProblem, needWhole } from './rule-form.ts';
import { addPingRule, editPingRule, type PingRuleFields } from './rules-api.ts';
import { extrasOf, maxReminderMinutes, RuleExtras, type Extras } from './rule-extras.tsx';
import { useRuleSave } from './use-rule-save.ts';

interface Props {
  rule?: PingRuleWire;
  tasks: readonly PingTask[];
  nodes: readonly AdminNode[];
  channels: readonly ChannelWire[];
  onSaved: () => void;
  onClose: () => void;
}

export function PingRuleDialog({ rule, tasks, nodes, channels, onSaved, onClose }: Props) {
  const { t } = useTranslation('admin-alerts');
  const [name, setName] = useState(rule?.name ?? '');
  const [taskId, setTaskId] = useState(rule?.task_id ?? tasks[0]?.id ?? 0);
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [loss, setLoss] = useState(String(rule?.loss_percent ?? 20));
  const [latency, setLatency] = useState(String(rule?.latency_ms ?? 0));
  const [windowMinutes, setWindowMinutes] = useState(String(rule?.window_minutes ?? 5));
  const [clients, setClients] = useState<Set<string>>(new Set(rule?.clients ?? []));
  const [extras, setExtras] = useState<Extras>(() => extrasOf(rule));
  const task = tasks.find((x) => x.id === taskId);
  const taskNodes = nodes.filter((n) => task?.clients.includes(n.uuid));

  const fields = (): PingRuleFields => {
    if (!name.trim()) throw new FormProblem('rule.errors.name');
    if (!task) throw new FormProblem('ping.errors.task');
    const loss_percent = needWhole(loss, 0, 100, t('ping.loss'));
    const latency_ms = needWhole(latency, 0, 60_000, t('ping.latency'));
    if (loss_percent === 0 && latency_ms === 0) throw new FormProblem('ping.errors.nothing');
    return {
      name: name.trim(),
      task_id: task.id,
      enabled,
      clients: [...clients].filter((c) => task.clients.includes(c)),
      loss_percent,
      latency_ms,
      window_minutes: needWhole(windowMinutes, 1, 1440, t('ping.window')),
      reminder_minutes: needWhole(extras.reminder, 0, maxReminderMinutes, t('rule.reminder')),
      notify_resolved: extras.notifyResolved,
      channels: extras.channels,
    };
  };

  const { error, busy, submit } = useRuleSave(fields, (body: PingRuleFields) => (rule ? editPingRule({ ...body, id: rule.id }) : addPingRule(body)), onSaved);

  return (
    <Modal title={rule ? t('ping.editTitle', { name: rule.name }) : t('ping.addTitle')} onClose={onClose} testId="ping-rule-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate className="alerts-dialog-form">
        <label className="settings-field">
          <span>{t('rule.name')}</span>
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={255} autoFocus />
        </label>
        <label className="settings-field">
          <span>{t('ping.task')}</span>
          <select name="task" value={String(taskId)} onChange={(e) => (setTaskId(Number(e.target.value)), setClients(new Set()))}>
            {tasks.map((x) => (
              <option key={x.id} value={String(x.id)}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <div className="alerts-form-row">
          <NumberField name="loss_percent" label={t('ping.loss')} hint={t('ping.offHint')} value={loss} onChange={setLoss} />
          <NumberField name="latency_ms" label={t('ping.latency')} hint={t('ping.offHint')} value={latency} onChange={setLatency} />
          <NumberField name="window_minutes" label={t('ping.window')} value={windowMinutes} onChange={setWindowMinutes} />
        </div>
        <label className="inline alerts-check">
          <input type="checkbox" name="enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          <span>{t('ping.enabled')}</span>
        </label>
        <NodePicker nodes={taskNodes} selected={clients} onChange={setClients} label={t('ping.nodes')} />
        <RuleExtras value={extras} onChange={setExtras} channels={channels} name="ping-channels" />
        <MessageLine text={error} testId="ping-rule-error" />
        <DialogActions onCancel={onClose} busy={busy} label={t('common:save')} testId="ping-rule-save" />
      </form>
    </Modal>
  );
}
