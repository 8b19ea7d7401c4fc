// Channels tab: Komari's one active sender, then komari-ts's own channels (any number, each of
// any kind) with the dialog that adds or edits one.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChannelWire } from '@komari-ts/protocol';
import { MessageLine } from '../../lib/message-line.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { deleteChannel, editChannel, loadAlertSettings, loadChannelKinds, loadChannels, loadSenderSchemas } from './alerts-api.ts';
import { ChannelDialog } from './channel-dialog.tsx';
import { ChannelsTable } from './channels-table.tsx';
import { KomariSender } from './komari-sender.tsx';
import { LoadFailed } from './load-failed.tsx';

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; channel: ChannelWire };

export function ChannelsTab() {
  const { t } = useTranslation('admin-alerts');
  const kinds = useAsync((signal) => loadChannelKinds(signal), []);
  const channels = useAsync((signal) => loadChannels(signal), []);
  const settings = useAsync((signal) => loadAlertSettings(signal), []);
  const schemas = useAsync((signal) => loadSenderSchemas(signal), []);
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [error, setError] = useState('');
  // a switch flipped shows its new state at once; the reloaded list (saved or not) replaces it
  const [switched, setSwitched] = useState<Record<number, boolean>>({});
  useEffect(() => setSwitched({}), [channels.data]);

  const loadError = kinds.error ?? channels.error ?? settings.error ?? schemas.error;
  if (loadError) return <LoadFailed error={loadError} retry={() => (kinds.reload(), channels.reload(), settings.reload(), schemas.reload())} />;
  if (!kinds.data || !channels.data || !settings.data || !schemas.data) return <p className="muted">{t('common:loading')}</p>;

  const act = async (work: () => Promise<unknown>) => {
    setError('');
    try {
      await work();
    } catch (err) {
      setError(errorText(t, err));
    }
    channels.reload();
  };
  const saved = () => {
    setEditing({ kind: 'none' });
    channels.reload();
  };

  return (
    <div className="alerts-tab">
      <KomariSender schemas={schemas.data} method={settings.data.notification_method} onSaved={settings.reload} />
      <div className="tools-title">
        <h2>{t('channels.title')}</h2>
        <button type="button" className="primary" onClick={() => setEditing({ kind: 'new' })} data-testid="channel-add">
          {t('channels.add')}
        </button>
      </div>
      <p className="muted alerts-text">{t('channels.intro')}</p>
      <MessageLine text={error} />
      <ChannelsTable
        channels={channels.data.map((c) => (c.id in switched ? { ...c, enabled: switched[c.id]! } : c))}
        onToggle={(c, enabled) => (setSwitched((s) => ({ ...s, [c.id]: enabled })), act(() => editChannel({ id: c.id, enabled })))}
        onEdit={(channel) => setEditing({ kind: 'edit', channel })}
        onDelete={(c) => act(() => deleteChannel(c.id))}
      />
      {editing.kind !== 'none' && (
        <ChannelDialog
          key={editing.kind === 'edit' ? editing.channel.id : 'new'}
          kinds={kinds.data}
          channel={editing.kind === 'edit' ? editing.channel : undefined}
          onSaved={saved}
          onClose={() => setEditing({ kind: 'none' })}
        />
      )}
    </div>
  );
}
