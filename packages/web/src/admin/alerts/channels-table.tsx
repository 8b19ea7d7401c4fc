// The channels as a table: each row can be switched on and off, tested (the result stays beside
// it until the next test), edited and deleted (asked once more in the row itself).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelWire, DeliveryResultWire } from '@komari-ts/protocol';
import { errorText } from '../shared/error-text.ts';
import { RowActions } from '../shared/row-actions.tsx';
import { testChannel } from './alerts-api.ts';
import { kindLabel } from './channel-names.ts';

type TestState = { kind: 'running' } | { kind: 'done'; results: DeliveryResultWire[] } | { kind: 'error'; text: string };

interface Props {
  channels: readonly ChannelWire[];
  onToggle: (channel: ChannelWire, enabled: boolean) => Promise<void>;
  onEdit: (channel: ChannelWire) => void;
  onDelete: (channel: ChannelWire) => Promise<void>;
}

export function ChannelsTable({ channels, onToggle, onEdit, onDelete }: Props) {
  const { t, i18n } = useTranslation('admin-alerts');
  const [tests, setTests] = useState<Record<number, TestState>>({});
  if (channels.length === 0) return <p className="card muted alerts-empty">{t('channels.empty')}</p>;

  const test = async (c: ChannelWire) => {
    setTests((s) => ({ ...s, [c.id]: { kind: 'running' } }));
    try {
      const { results } = await testChannel(c.id);
      setTests((s) => ({ ...s, [c.id]: { kind: 'done', results } }));
    } catch (err) {
      setTests((s) => ({ ...s, [c.id]: { kind: 'error', text: errorText(t, err) } }));
    }
  };

  return (
    <div className="table-scroll">
      <table className="grid tools-stack" data-testid="channels-table">
        <thead>
          <tr>
            <th>{t('channels.columns.name')}</th>
            <th>{t('channels.columns.kind')}</th>
            <th>{t('channels.columns.enabled')}</th>
            <th>{t('channels.columns.test')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {channels.map((c) => (
            <tr key={c.id} data-channel-id={c.id}>
              <td className="tools-stack-main">
                <strong>{c.name}</strong>
              </td>
              <td className="tools-stack-meta">{kindLabel(i18n, c.kind)}</td>
              <td className="tools-stack-meta">
                <label className="inline alerts-switch">
                  <input type="checkbox" role="switch" checked={c.enabled} onChange={(e) => void onToggle(c, e.target.checked)} data-testid="channel-enabled" />
                  <span>{c.enabled ? t('channels.on') : t('channels.off')}</span>
                </label>
              </td>
              <td className="tools-stack-meta alerts-test-cell">
                <TestResult state={tests[c.id]} />
              </td>
              <td className="tools-stack-end">
                <RowActions
                  onEdit={() => onEdit(c)}
                  onDelete={() => onDelete(c)}
                  confirmLabel={t('channels.confirmDelete')}
                  extra={
                    <button type="button" disabled={tests[c.id]?.kind === 'running'} onClick={() => void test(c)} data-testid="channel-test">
                      {t('channels.test')}
                    </button>
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The last test's outcome: sent, or the service's own reason it failed. */
function TestResult({ state }: { state: TestState | undefined }) {
  const { t } = useTranslation('admin-alerts');
  if (!state) return null;
  if (state.kind === 'running') return <span className="muted">{t('channels.testing')}</span>;
  if (state.kind === 'error') return <span className="error-text" data-testid="channel-test-result">{state.text}</span>;
  const failed = state.results.filter((r) => !r.ok);
  if (failed.length === 0) return <span className="ok-text" data-testid="channel-test-result">{t('channels.testOk')}</span>;
  return (
    <span className="error-text" data-testid="channel-test-result">
      {t('channels.testFailed', { error: failed.map((r) => r.error).join('; ') })}
    </span>
  );
}
