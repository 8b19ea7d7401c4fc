// Admin → Saved commands (Komari's clipboard, admin-api.md §9): listed, added, edited and deleted.
// The exec page and the web terminal offer them. One form at a time, above the list.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { deleteSavedCommand, listSavedCommands, type SavedCommand } from './clipboard-api.ts';
import { ClipboardForm } from './clipboard-form.tsx';
import { ClipboardTable } from './clipboard-table.tsx';
import '../shared/tools-page.css';
import './clipboard.css';

type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; entry: SavedCommand };

export default function ClipboardPage() {
  const { t } = useTranslation('admin-clipboard');
  const entries = useAsync((signal) => listSavedCommands(signal), []);
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const [error, setError] = useState('');

  const remove = async (entry: SavedCommand) => {
    setError('');
    try {
      await deleteSavedCommand(entry.id);
      if (editing.kind === 'edit' && editing.entry.id === entry.id) setEditing({ kind: 'none' });
      entries.reload();
    } catch (err) {
      setError(errorText(t, err));
    }
  };
  const saved = () => {
    setEditing({ kind: 'none' });
    entries.reload();
  };

  return (
    <section className="tools-page clipboard-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
        {editing.kind === 'none' && (
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'new' })} data-testid="clipboard-add">
            {t('add')}
          </button>
        )}
      </div>
      <p className="muted tools-intro">{t('intro')}</p>
      {editing.kind !== 'none' && (
        <ClipboardForm
          key={editing.kind === 'edit' ? editing.entry.id : 'new'}
          entry={editing.kind === 'edit' ? editing.entry : undefined}
          onSaved={saved}
          onCancel={() => setEditing({ kind: 'none' })}
        />
      )}
      <MessageLine text={error} testId="clipboard-error" />
      {entries.error ? (
        <p className="error-text" role="alert">
          {errorText(t, entries.error)}{' '}
          <button type="button" onClick={entries.reload}>
            {t('common:retry')}
          </button>
        </p>
      ) : entries.data ? (
        <ClipboardTable entries={entries.data} onEdit={(entry) => setEditing({ kind: 'edit', entry })} onDelete={remove} />
      ) : (
        <p className="muted">{t('common:loading')}</p>
      )}
    </section>
  );
}
