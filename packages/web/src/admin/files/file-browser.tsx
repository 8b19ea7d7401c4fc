// One node's files: the roots (the first call, which also meets the files gate and tells an
// offline or file-less agent apart), then the folder in the address (?path=), its breadcrumbs,
// the upload, and the dialogs of each entry's actions.
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { MessageLine } from '../../lib/message-line.tsx';
import { navigate } from '../../lib/router.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { ConfirmDialog } from '../shared/confirm-dialog.tsx';
import { errorText } from '../shared/error-text.ts';
import { Breadcrumbs } from './breadcrumbs.tsx';
import { FileEditor } from './file-editor.tsx';
import { crumbsOf, joinPath, parentPath, resolvePath, validMode, validName } from './file-paths.ts';
import { FileTable, type EntryAction } from './file-table.tsx';
import { filesApi, type FileInfo } from './files-api.ts';
import { UploadPanel } from './upload-panel.tsx';
import { useCodeGate } from './use-code-gate.tsx';
import { ValueDialog } from './value-dialog.tsx';

type Dialog = { kind: 'mkdir' } | { kind: EntryAction; entry: FileInfo };

export function FileBrowser({ uuid, dir }: { uuid: string; dir: string }) {
  const { t } = useTranslation('admin-files');
  const { run, prompt } = useCodeGate();
  const api = useCallback((code: string | undefined) => filesApi(uuid, code), [uuid]);
  const roots = useAsync(() => run((code) => api(code).roots()), [api, run]);
  const listing = useAsync(() => (dir ? run((code) => api(code).list(dir)) : Promise.resolve(undefined)), [api, run, dir]);
  const [dialog, setDialog] = useState<Dialog>();
  const [done, setDone] = useState('');
  const hrefOf = useCallback((path: string) => `/admin/files/${encodeURIComponent(uuid)}${path ? `?path=${encodeURIComponent(path)}` : ''}`, [uuid]);

  // one root (a Linux agent's `/`, or the folder the agent serves) is opened at once
  const only = roots.data?.length === 1 ? roots.data[0] : undefined;
  useEffect(() => {
    if (!dir && only) navigate(hrefOf(only.path), { replace: true });
  }, [dir, only, hrefOf]);
  useEffect(() => setDone(''), [dir]);

  const entries = dir ? listing.data : roots.data;
  const taken = useMemo(() => new Set((listing.data ?? []).map((e) => e.name)), [listing.data]);
  const finished = (message: string) => {
    setDialog(undefined);
    setDone(message);
    listing.reload();
  };

  if (roots.error) return <Unavailable error={roots.error} onRetry={roots.reload} prompt={prompt} />;
  if (!roots.data) return <p className="muted">{t('common:loading')}{prompt}</p>;
  const error = dir ? listing.error : undefined;

  return (
    <>
      <Breadcrumbs crumbs={dir ? crumbsOf(dir, roots.data) : []} withRoots={roots.data.length !== 1} hrefOf={hrefOf} />
      {dir && (
        <div className="tools-actions files-toolbar">
          <button type="button" onClick={() => setDialog({ kind: 'mkdir' })} data-testid="files-mkdir">
            {t('actions.mkdir')}
          </button>
          <button type="button" onClick={listing.reload} data-testid="files-refresh">
            {t('actions.refresh')}
          </button>
          <UploadPanel uuid={uuid} dir={dir} taken={taken} run={run} onUploaded={() => listing.reload()} />
        </div>
      )}
      <MessageLine text={done} kind="ok" testId="files-done" />
      {error ? (
        <div className="card files-unavailable" role="alert" data-testid="files-list-error">
          <p className="error-text">{errorText(t, error)}</p>
          <div className="tools-actions">
            <button type="button" onClick={listing.reload}>
              {t('common:retry')}
            </button>
            <button type="button" onClick={() => navigate(hrefOf(parentPath(dir)))}>
              {t('actions.up')}
            </button>
          </div>
        </div>
      ) : entries ? (
        <FileTable uuid={uuid} entries={entries} roots={!dir} hrefOf={hrefOf} onAction={(kind, entry) => setDialog({ kind, entry })} />
      ) : (
        <p className="muted">{t('common:loading')}</p>
      )}
      {dialog && <EntryDialog dialog={dialog} dir={dir} api={api} run={run} onDone={finished} onClose={() => setDialog(undefined)} />}
      {prompt}
    </>
  );
}

interface EntryDialogProps {
  dialog: Dialog;
  dir: string;
  api: (code: string | undefined) => ReturnType<typeof filesApi>;
  run: ReturnType<typeof useCodeGate>['run'];
  onDone: (message: string) => void;
  onClose: () => void;
}

function EntryDialog({ dialog, dir, api, run, onDone, onClose }: EntryDialogProps) {
  const { t } = useTranslation('admin-files');
  const nameProblem = (v: string) => (validName(v) ? undefined : t('errors.name'));
  const pathProblem = (v: string) => (v.trim() ? undefined : t('errors.destination'));
  if (dialog.kind === 'mkdir') {
    return (
      <ValueDialog
        title={t('mkdir.title')}
        label={t('mkdir.label')}
        initial=""
        submitLabel={t('mkdir.submit')}
        check={nameProblem}
        action={async (name) => {
          await run((code) => api(code).mkdir(joinPath(dir, name)));
          onDone(t('done.mkdir', { name }));
        }}
        onClose={onClose}
        testId="files-mkdir-dialog"
      />
    );
  }
  const { entry } = dialog;
  switch (dialog.kind) {
    case 'edit':
      return <FileEditor entry={entry} api={api} run={run} onSaved={() => onDone(t('done.saved', { name: entry.name }))} onClose={onClose} />;
    case 'rename':
      return (
        <ValueDialog
          title={t('rename.title', { name: entry.name })}
          label={t('rename.label')}
          initial={entry.name}
          submitLabel={t('rename.submit')}
          check={(v) => nameProblem(v) ?? (v.trim() === entry.name ? t('errors.sameName') : undefined)}
          action={async (name) => {
            await run((code) => api(code).move(entry.path, joinPath(parentPath(entry.path), name)));
            onDone(t('done.renamed', { name: entry.name, to: name }));
          }}
          onClose={onClose}
          testId="files-rename-dialog"
        />
      );
    case 'move':
    case 'copy': {
      const kind = dialog.kind;
      return (
        <ValueDialog
          title={t(`${kind}.title`, { name: entry.name })}
          label={t(`${kind}.label`)}
          hint={t('pathHint', { dir })}
          initial={entry.path}
          submitLabel={t(`${kind}.submit`)}
          check={(v) => pathProblem(v) ?? (resolvePath(dir, v) === entry.path ? t('errors.samePath') : undefined)}
          action={async (value) => {
            const to = resolvePath(dir, value);
            await run((code) => (kind === 'move' ? api(code).move(entry.path, to) : api(code).copy(entry.path, to)));
            onDone(t(`done.${kind}`, { name: entry.name, to }));
          }}
          onClose={onClose}
          testId={`files-${kind}-dialog`}
        />
      );
    }
    case 'chmod':
      return (
        <ValueDialog
          title={t('chmod.title', { name: entry.name })}
          label={t('chmod.label')}
          hint={t('chmod.hint')}
          initial={entry.mode_octal ?? ''}
          submitLabel={t('chmod.submit')}
          check={(v) => (validMode(v) ? undefined : t('errors.mode'))}
          action={async (mode) => {
            await run((code) => api(code).chmod(entry.path, mode));
            onDone(t('done.chmod', { name: entry.name, mode }));
          }}
          onClose={onClose}
          testId="files-chmod-dialog"
        />
      );
    case 'delete':
      return (
        <ConfirmDialog
          title={t('delete.title', { name: entry.name })}
          label={t('delete.submit')}
          action={async () => {
            await run((code) => api(code).remove(entry.path));
            onDone(t('done.deleted', { name: entry.name }));
          }}
          onClose={onClose}
          testId="files-delete-dialog"
        >
          <p>{t(entry.is_dir ? 'delete.folderQuestion' : 'delete.fileQuestion', { path: entry.path })}</p>
        </ConfirmDialog>
      );
  }
}

/** RPC codes of an agent that cannot serve files right now (komari-1.5.md §2.2). */
const reasons: Record<number, string> = { [-32051]: 'offline', [-32050]: 'unsupported', [-32011]: 'timeout', [-32044]: 'notFound' };

function Unavailable({ error, onRetry, prompt }: { error: Error; onRetry: () => void; prompt: ReactNode }) {
  const { t } = useTranslation('admin-files');
  const reason = error instanceof ApiError && error.code !== undefined ? reasons[error.code] : undefined;
  return (
    <div className="card files-unavailable" role="alert" data-testid="files-unavailable" data-reason={reason ?? 'other'}>
      {reason && <p>{t(`unavailable.${reason}`)}</p>}
      <p className={reason ? 'muted' : 'error-text'}>{errorText(t, error)}</p>
      <div className="tools-actions">
        <button type="button" onClick={onRetry}>
          {t('common:retry')}
        </button>
      </div>
      {prompt}
    </div>
  );
}
