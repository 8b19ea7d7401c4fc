// Load rules (Komari's load notifications): listed with their condition, added and edited in a
// dialog.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelWire, LoadRuleWire } from '@komari-ts/protocol';
import { MessageLine } from '../../lib/message-line.tsx';
import { nodeNamer, type AdminNode } from '../shared/admin-nodes.ts';
import { errorText } from '../shared/error-text.ts';
import { channelsText } from './channel-choice.tsx';
import { channelNamer } from './channel-names.ts';
import { LoadRuleDialog } from './load-rule-dialog.tsx';
import { RowActions } from '../shared/row-actions.tsx';
import { deleteLoadRule, isLoadMetric } from './rules-api.ts';

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; rule: LoadRuleWire };

interface Props {
  rules: readonly LoadRuleWire[];
  nodes: readonly AdminNode[];
  channels: readonly ChannelWire[];
  onChanged: () => void;
}

export function LoadRules({ rules, nodes, channels, onChanged }: Props) {
  const { t, i18n } = useTranslation('admin-alerts');
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [error, setError] = useState('');
  const nodeName = nodeNamer(nodes);
  const channelName = channelNamer(i18n, channels);
  const metricName = (m: string) => (isLoadMetric(m) ? t(`metrics.${m}`) : m);

  const remove = async (rule: LoadRuleWire) => {
    setError('');
    try {
      await deleteLoadRule(rule.id);
      onChanged();
    } catch (err) {
      setError(errorText(t, err));
    }
  };

  return (
    <section className="card settings-section" data-testid="rules-load">
      <div className="tools-title">
        <h2>{t('load.title')}</h2>
        <button type="button" onClick={() => setEditing({ kind: 'new' })} data-testid="load-add">
          {t('load.add')}
        </button>
      </div>
      <p className="muted alerts-text">{t('load.intro')}</p>
      <MessageLine text={error} />
      {rules.length === 0 ? (
        <p className="muted">{t('load.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="grid tools-stack" data-testid="load-table">
            <thead>
              <tr>
                <th>{t('rule.name')}</th>
                <th>{t('load.condition')}</th>
                <th>{t('rule.nodes')}</th>
                <th>{t('rule.channels')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr key={r.id} data-rule-id={r.id}>
                  <td className="tools-stack-main">
                    <strong>{r.name}</strong>
                  </td>
                  <td className="tools-stack-meta">{t('load.conditionValue', { metric: metricName(r.metric), threshold: r.threshold, ratio: Math.round(r.ratio * 100), interval: r.interval })}</td>
                  <td className="tools-stack-meta" title={r.clients.map(nodeName).join(', ')}>
                    {t('rule.nodeCount', { count: r.clients.length })}
                  </td>
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
        <LoadRuleDialog
          rule={editing.kind === 'edit' ? editing.rule : undefined}
          nodes={nodes}
          channels={channels}
          onSaved={() => (setEditing({ kind: 'none' }), onChanged())}
          onClose={() => setEditing({ kind: 'none' })}
        />
      )}
    </section>
  );
}
