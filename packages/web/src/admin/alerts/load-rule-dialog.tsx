// Adding or editing a load rule (Komari's LoadNotification): a metric over a threshold for a share
// of the samples in a window, on the chosen nodes.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelWire, LoadRuleWire } from '@komari-ts/protocol';
import { MessageLine } from '../../lib/message-line.tsx';
import { DialogActions, Modal } from '../nodes/modal.tsx';
import type { AdminNode } from '../shared/admin-nodes.ts';
import { NodePicker } from '../shared/node-picker.tsx';
import { NumberField } from './number-field.tsx';
import { FormProblem, needNumber, needWhole } from './rule-form.ts';
import { addLoadRule, editLoadRule, isLoadMetric, loadMetrics, type LoadRuleFields } from './rules-api.ts';
import { extrasOf, maxReminderMinutes, RuleExtras, type Extras } from './rule-extras.tsx';
import { useRuleSave } from './use-rule-save.ts';

interface Props {
  rule?: LoadRuleWire;
  nodes: readonly AdminNode[];
  channels: readonly ChannelWire[];
  onSaved: () => void;
  onClose: () => void;
}

interface Draft {
  name: string;
  metric: string;
  threshold: string;
  ratio: string;
  interval: string;
  consecutive: string;
}

const draftOf = (r?: LoadRuleWire): Draft => ({
  name: r?.name ?? '',
  metric: r?.metric ?? 'cpu',
  threshold: String(r?.threshold ?? 80),
  ratio: String(r?.ratio ?? 0.8),
  interval: String(r?.interval ?? 5),
  consecutive: String(r?.consecutive ?? 1),
});

export function LoadRuleDialog({ rule, nodes, channels, onSaved, onClose }: Props) {
  const { t } = useTranslation('admin-alerts');
  const [d, setD] = useState(() => draftOf(rule));
  const [extras, setExtras] = useState<Extras>(() => extrasOf(rule));
  const [clients, setClients] = useState<Set<string>>(new Set(rule?.clients ?? []));
  const set = (k: keyof Draft) => (v: string) => setD({ ...d, [k]: v });
  const metrics: readonly string[] = isLoadMetric(d.metric) ? loadMetrics : [...loadMetrics, d.metric];

  /** The body to send; throws a FormProblem for the first thing wrong. */
  const fields = (): LoadRuleFields => {
    if (!d.name.trim()) throw new FormProblem('rule.errors.name');
    if (clients.size === 0) throw new FormProblem('load.errors.clients');
    const ratio = needNumber(d.ratio, 0, 1, t('load.ratio'));
    if (ratio === 0) throw new FormProblem('load.errors.ratio');
    return {
      name: d.name.trim(),
      clients: [...clients],
      metric: d.metric,
      threshold: needNumber(d.threshold, 0, 1e15, t('load.threshold')),
      ratio,
      interval: needWhole(d.interval, 1, 240, t('load.interval')),
      consecutive: needWhole(d.consecutive, 0, 1000, t('load.consecutive')),
      reminder_minutes: needWhole(extras.reminder, 0, maxReminderMinutes, t('rule.reminder')),
      notify_resolved: extras.notifyResolved,
      channels: extras.channels,
    };
  };

  const { error, busy, submit } = useRuleSave(fields, (body: LoadRuleFields) => (rule ? editLoadRule({ ...body, id: rule.id }) : addLoadRule(body)), onSaved);

  return (
    <Modal title={rule ? t('load.editTitle', { name: rule.name }) : t('load.addTitle')} onClose={onClose} testId="load-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate className="alerts-dialog-form">
        <label className="settings-field">
          <span>{t('rule.name')}</span>
          <input name="name" value={d.name} onChange={(e) => set('name')(e.target.value)} maxLength={255} autoFocus />
        </label>
        <div className="alerts-form-row">
          <label className="settings-field">
            <span>{t('load.metric')}</span>
            <select name="metric" value={d.metric} onChange={(e) => set('metric')(e.target.value)}>
              {metrics.map((m) => (
                <option key={m} value={m}>
                  {isLoadMetric(m) ? t(`metrics.${m}`) : m}
                </option>
              ))}
            </select>
          </label>
          <NumberField name="threshold" label={t('load.threshold')} hint={t(`load.unit.${unitOf(d.metric)}`)} value={d.threshold} onChange={set('threshold')} step="any" />
          <NumberField name="ratio" label={t('load.ratio')} hint={t('load.ratioHint')} value={d.ratio} onChange={set('ratio')} step="any" />
          <NumberField name="interval" label={t('load.interval')} hint={t('load.intervalHint')} value={d.interval} onChange={set('interval')} />
          <NumberField name="consecutive" label={t('load.consecutive')} hint={t('load.consecutiveHint')} value={d.consecutive} onChange={set('consecutive')} />
        </div>
        <NodePicker nodes={nodes} selected={clients} onChange={setClients} label={t('load.nodes')} />
        <RuleExtras value={extras} onChange={setExtras} channels={channels} name="load-channels" />
        <MessageLine text={error} testId="load-error" />
        <DialogActions onCancel={onClose} busy={busy} label={t('common:save')} testId="load-save" />
      </form>
    </Modal>
  );
}

/** What the threshold is measured in for a metric. */
function unitOf(metric: string): 'percent' | 'load' | 'bytes' | 'other' {
  if (['cpu', 'gpu', 'ram', 'swap', 'disk'].includes(metric)) return 'percent';
  if (metric === 'load') return 'load';
  if (metric === 'net_in' || metric === 'net_out') return 'bytes';
  return 'other';
}
