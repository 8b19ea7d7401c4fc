// The saved commands as a table. Deleting asks once more in the row itself, as the ping tasks do.
import { useTranslation } from 'react-i18next';
import { RowActions } from '../shared/row-actions.tsx';
import type { SavedCommand } from './clipboard-api.ts';

interface Props {
  entries: readonly SavedCommand[];
  onEdit: (entry: SavedCommand) => void;
  onDelete: (entry: SavedCommand) => Promise<void>;
}

export function ClipboardTable({ entries, onEdit, onDelete }: Props) {
  const { t } = useTranslation('admin-clipboard');
  if (entries.length === 0) return <p className="card muted clipboard-empty">{t('empty')}</p>;
  return (
    <div className="table-scroll">
      <table className="grid tools-stack" data-testid="clipboard-table">
        <thead>
          <tr>
            <th>{t('columns.name')}</th>
            <th>{t('columns.text')}</th>
            <th>{t('columns.remark')}</th>
            <th>{t('columns.weight')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-entry-id={entry.id}>
              <td className="tools-stack-main">
                <strong>{entry.name || t('unnamed')}</strong>
              </td>
              <td className="tools-stack-meta">
                <code className="clipboard-text" title={entry.text}>
                  {entry.text}
                </code>
              </td>
              <td className="tools-stack-meta">{entry.remark}</td>
              <td className="tools-stack-meta">{entry.weight}</td>
              <td className="tools-stack-end">
                <RowActions onEdit={() => onEdit(entry)} onDelete={() => onDelete(entry)} confirmLabel={t('confirmDelete')} testId="clipboard" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
