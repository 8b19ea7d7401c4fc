// Offline rules: one row per node (Komari keeps one rule per node), from the node list so nodes
// without a stored rule show the server's defaults. Rows are edited in place; Save sends the
// changed ones in one request.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelWire, OfflineRuleWire } from '@komari-ts/protocol';
import { MessageLine } from '../../lib/message-line.tsx';
import type { AdminNode } from '../shared/admin-nodes.ts';
import { errorText } from '../shared/error-text.ts';
import { ChannelChoice, channelsText } from './channel-choice.tsx';
import { channelNamer } from './channel-names.ts';
import { wholeIn } from './rule-form.ts';
import { offlineDefaults, saveOfflineRules, type OfflineEdit } from './rules-api.ts';

/** A week: longer than any outage worth a late notice. */
const maxGrace = 604_800;

interface Row {
  enable: boolean;
  grace: string;
  channels: number[] | null;
}

const rowOf = (r: OfflineRuleWire | undefined): Row => ({
  enable: r?.enable ?? offlineDefaults.enable,
  grace: String(r?.grace_period ?? offlineDefaults.grace_period),
  channels: r?.channels ?? null,
});

interface Props {
  nodes: readonly AdminNode[];
  rules: readonly OfflineRuleWire[];
  channels: readonly ChannelWire[];
  onSaved: () => void;
}

export function OfflineRules({ nodes, rules, channels, onSaved }: Props) {
  const { t, i18n } = useTranslation('admin-alerts');
  const byNode = new Map(rules.map((r) => [r.client, r]));
  const [edits, setEdits] = useState<Record<string, Row>>({});
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  // edits stay on screen until the reloaded rows (what was stored) arrive
  useEffect(() => setEdits({}), [rules]);
  const nameOf = channelNamer(i18n, channels);
  const rowFor = (uuid: string) => edits[uuid] ?? rowOf(byNode.get(uuid));
  const edit = (uuid: string, patch: Partial<Row>) => (setEdits({ ...edits, [uuid]: { ...rowFor(uuid), ...patch } }), setStatus(undefined));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const body: OfflineEdit[] = [];
    for (const [uuid, row] of Object.entries(edits)) {
      const grace = wholeIn(row.grace, 0, maxGrace);
      const node = nodes.find((n) => n.uuid === uuid)?.name ?? uuid;
      if (grace === undefined) return setStatus({ kind: 'error', text: t('offline.errors.grace', { node, max: maxGrace }) });
      body.push({ client: uuid, enable: row.enable, grace_period: grace, channels: row.channels });
    }
    if (body.length === 0) return setStatus({ kind: 'ok', text: t('unchanged') });
    setBusy(true);
    try {
      await saveOfflineRules(body);
      setStatus({ kind: 'ok', text: t('saved') });
      onSaved();
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(t, err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card settings-section" onSubmit={(e) => void save(e)} noValidate data-testid="rules-offline">
      <h2>{t('offline.title')}</h2>
      <p className="muted alerts-text">{t('offline.intro')}</p>
      {nodes.length === 0 ? (
        <p className="muted">{t('offline.noNodes')}</p>
      ) : (
        <div className="table-scroll">
          <table className="grid tools-stack alerts-offline-table">
            <thead>
              <tr>
                <th>{t('offline.columns.node')}</th>
                <th>{t('offline.columns.enable')}</th>
                <th>{t('offline.columns.grace')}</th>
                <th>{t('offline.columns.channels')}</th>
                <th>{t('offline.columns.state')}</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((n) => {
                const row = rowFor(n.uuid);
                const state = byNode.get(n.uuid)?.state ?? 'unknown';
                return (
                  <tr key={n.uuid} data-node={n.uuid}>
                    <td className="tools-stack-main">
                      <strong>{n.name}</strong>
                    </td>
                    <td>
                      <input type="checkbox" role="switch" name="enable" aria-label={t('offline.enableFor', { node: n.name })} checked={row.enable} onChange={(e) => edit(n.uuid, { enable: e.target.checked })} />
                    </td>
                    <td>
                      <input className="alerts-grace" name="grace" type="number" min={0} max={maxGrace} aria-label={t('offline.graceFor', { node: n.name })} value={row.grace} onChange={(e) => edit(n.uuid, { grace: e.target.value })} />
                    </td>
                    <td className="alerts-offline-channels">
                      <details>
                        <summary>{channelsText(t, nameOf, row.channels)}</summary>
                        <ChannelChoice channels={channels} value={row.channels} onChange={(channels) => edit(n.uuid, { channels })} name={`offline-${n.uuid}`} />
                      </details>
                    </td>
                    <td className="tools-stack-meta">
                      <span className={`alerts-state alerts-state-${state}`}>{t(`offline.states.${state}`)}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="tools-actions alerts-actions">
        <MessageLine text={status?.text} kind={status?.kind} testId="rules-offline-status" />
        <button type="submit" className="primary" disabled={busy || nodes.length === 0}>
          {t('common:save')}
        </button>
      </div>
    </form>
  );
}
