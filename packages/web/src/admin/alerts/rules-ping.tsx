// Latency/loss rules (komari-ts's) on the ping tasks: listed with their limits, added and edited
// in a dialog. Without a ping task there is nothing to watch, so the page points to making one.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelWire, PingRuleWire } from '@komari-ts/protocol';
import { MessageLine } from '../../lib/message-line.tsx';
import { Link } from '../../lib/router.tsx';
import type { PingTask } from '../ping/ping-api.ts';
import type { AdminNode } from '../shared/admin-nodes.ts';
import { errorText } from '../shared/error-text.ts';
import { channelsText } from './channel-choice.tsx';
import { channelNamer } from './channel-names.ts';
import { PingRuleDialog } from './ping-rule-dialog.tsx';
import { RowActions } from '../shared/row-actions.tsx';
import { deletePingRule } from './rules-api.ts';

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; rule: PingRuleWire };

interface Props {
  rules: readonly PingRuleWire[];
  tasks: readonly PingTask[];
  nodes: readonly AdminNode[];
  channels: readonly ChannelWire[];
  onChanged: () => void;
}

export function PingRules({ rules, tasks, nodes, channels, onChanged }: Props) {
  const { t, i18n } = useTranslation('admin-alerts');
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [error, setError] = useState('');
  const channelName = channelNamer(i18n, channels);
  const taskName = (id: number) => tasks.find((x) => x.id === id)?.name ?? `#${id}`;
  const limits = (r: PingRuleWire) =>
    [r.loss_percent > 0 && t('ping.lossValue', { value: r.loss_percent }), r.latency_ms > 0 && t('ping.latencyValue', { value: r.latency_ms })].filter(Boolean).join(t('ping.or'));

  const remove = async (rule: PingRuleWire) => {
    setError('');
    try {
      await deletePingRule(rule.id);
      onChanged();
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <section className="card settings-section" data-testid="rules-ping">
      <div className="tools-title">
        <h2>{t('ping.title')}</h2>
        <button type="button" disabled={tasks.length === 0} onClick={() => setEditing({ kind: 'new' })} data-testid="ping-rule-add">
          {t('ping.add')}
        </button>
      </div>
      <p className="muted alerts-text">
        {t('ping.intro')} {tasks.length === 0 && <Link href="/admin/ping">{t('ping.noTasks')}</Link>}
      </p>
      <MessageLine text={error} />
      {rules.length === 0 ? (
        <p className="muted">{t('ping.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="grid tools-stack" data-testid="ping-rule-table">
            <thead>
              <tr>
                <th>{t('rule.name')}</th>
                <th>{t('ping.task')}</th>
                <th>{t('ping.condition')}</th>
                <th>{t('rule.nodes')}</th>
                <th>{t('rule.channels')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr key={r.id} data-rule-id={r.id} className={r.enabled ? '' : 'alerts-off'}>
                  <td className="tools-stack-main">
                    <strong>{r.name}</strong> {!r.enabled && <small className="muted">{t('ping.disabled')}</small>}
                  </td>
                  <td className="tools-stack-meta">{taskName(r.task_id)}</td>
                  <td className="tools-stack-meta">{t('ping.conditionValue', { limits: limits(r), window: r.window_minutes })}</td>
                  <td className="tools-stack-meta">{r.clients.length === 0 ? t('ping.allNodes') : t('rule.nodeCount', { count: r.clients.length })}</td>
                  <td className="tools-stack-meta alerts-wrap">{channelsText(t, channelName, r.channels)}</td>
                  <td className="tools-stack-end">
                    <RowActions onEdit={() => setEditing({ kind: 'edit', rule: r })} onDelete={() => remove(r)} confirmLabel={t('confirmDelete')} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing.kind !== 'none' && (
        <PingRuleDialog
          rule={editing.kind === 'edit' ? editing.rule : undefined}
          tasks={tasks}
          nodes={nodes}
          channels={channels}
          onSaved={() => (setEditing({ kind: 'none' }), onChanged())}
          onClose={() => setEditing({ kind: 'none' })}
        />
      )}
    </section>
  );
}
