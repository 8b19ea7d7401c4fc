// A folder's entries (folders first, as the agent sorts them): name, size, mode, owner, modified
// and what can be done to each. Folders open in place; files download through a plain link so the
// browser streams them to disk.
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { formatDateTime } from '../logs/time-text.ts';
import { downloadUrl, type FileInfo } from './files-api.ts';

export type EntryAction = 'edit' | 'rename' | 'move' | 'copy' | 'chmod' | 'delete';

interface Props {
  uuid: string;
  entries: readonly FileInfo[];
  /** the roots themselves: they open, nothing else */
  roots: boolean;
  hrefOf: (path: string) => string;
  onAction: (action: EntryAction, entry: FileInfo) => void;
}

export function FileTable({ uuid, entries, roots, hrefOf, onAction }: Props) {
  const { t } = useTranslation('admin-files');
  if (entries.length === 0) return <p className="muted files-empty">{t('table.empty')}</p>;
  return (
    <div className="table-scroll">
      <table className="grid files-table tools-stack" data-testid="files-table">
        <thead>
          <tr>
            <th>{t('table.name')}</th>
            <th>{t('table.size')}</th>
            <th>{t('table.mode')}</th>
            <th>{t('table.owner')}</th>
            <th>{t('table.modified')}</th>
            {!roots && <th>{t('table.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <EntryRow key={e.path} uuid={uuid} entry={e} roots={roots} hrefOf={hrefOf} onAction={onAction} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EntryRow({ uuid, entry: e, roots, hrefOf, onAction }: Omit<Props, 'entries'> & { entry: FileInfo }) {
  const { t, i18n } = useTranslation('admin-files');
  const owner = [e.owner || e.uid, e.group || e.gid].filter((x) => x !== undefined && x !== '').join(':');
  return (
    <tr data-testid="files-row" data-name={e.name} data-kind={e.is_dir ? 'dir' : 'file'}>
      <td className="tools-stack-main files-name">
        <span aria-hidden="true" className="files-icon">
          {e.is_dir ? '📁' : '📄'}
        </span>
        {e.is_dir ? (
          <Link href={hrefOf(e.path)} data-testid="files-open">
            {e.name}
          </Link>
        ) : (
          <span>{e.name}</span>
        )}
        {e.is_symlink && <span className="muted files-link">{e.target ? t('table.linkTo', { target: e.target }) : t('table.link')}</span>}
      </td>
      <td className="tools-stack-meta files-size">{e.is_dir ? <span className="muted">—</span> : formatBytes(e.size)}</td>
      <td className="tools-stack-meta tools-mono" title={e.mode}>
        {e.mode_octal ?? e.mode ?? ''}
      </td>
      <td className="tools-stack-meta">{owner}</td>
      <td className="tools-stack-meta">{formatDateTime(e.modified_at, i18n.language)}</td>
      {!roots && (
        <td className="tools-stack-end">
          <div className="files-actions">
            {!e.is_dir && (
              <>
                <a className="button" href={downloadUrl(uuid, e.path)} download={e.name} data-testid="files-download">
                  {t('actions.download')}
                </a>
                <button type="button" onClick={() => onAction('edit', e)} data-testid="files-edit">
                  {t('actions.edit')}
                </button>
              </>
            )}
            <button type="button" onClick={() => onAction('rename', e)} data-testid="files-rename">
              {t('actions.rename')}
            </button>
            <button type="button" onClick={() => onAction('move', e)} data-testid="files-move">
              {t('actions.move')}
            </button>
            <button type="button" onClick={() => onAction('copy', e)} data-testid="files-copy">
              {t('actions.copy')}
            </button>
            <button type="button" onClick={() => onAction('chmod', e)} data-testid="files-chmod">
              {t('actions.chmod')}
            </button>
            <button type="button" className="danger" onClick={() => onAction('delete', e)} data-testid="files-delete">
              {t('common:delete')}
            </button>
          </div>
        </td>
      )}
    </tr>
  );
}
