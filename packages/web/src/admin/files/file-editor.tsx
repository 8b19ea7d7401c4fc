// Editing a text file on the node: read whole (the agent's 4 MiB edit limit), shown in a text box,
// saved back whole through the upload route (files-api.ts says why). Files past the limit and files that are not UTF-8 text are refused with a
// reason instead of being shown mangled, and never written back.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes } from '../../lib/format.ts';
import { MessageLine } from '../../lib/message-line.tsx';
import { DialogActions, Modal } from '../nodes/modal.tsx';
import { errorText } from '../shared/error-text.ts';
import { editLimit, type FileInfo, type FilesApi } from './files-api.ts';
import { decodeText } from './file-text.ts';
import type { GatedRun } from './use-code-gate.tsx';

interface Props {
  entry: FileInfo;
  api: (code: string | undefined) => FilesApi;
  run: GatedRun;
  onSaved: () => void;
  onClose: () => void;
}

type Loaded = { kind: 'loading' } | { kind: 'text'; text: string } | { kind: 'refused'; reason: string };

export function FileEditor({ entry, api, run, onSaved, onClose }: Props) {
  const { t } = useTranslation('admin-files');
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [text, setText] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const tooLarge = t('editor.tooLarge', { size: formatBytes(entry.size), limit: formatBytes(editLimit) });

  useEffect(() => {
    if (entry.size > editLimit) return setLoaded({ kind: 'refused', reason: tooLarge });
    let live = true;
    run((code) => api(code).read(entry.path)).then(
      (content) => {
        if (!live) return;
        const decoded = content.binary ? undefined : decodeText(content.data ?? '');
        if (decoded === undefined) return setLoaded({ kind: 'refused', reason: t('editor.binary') });
        setText(decoded);
        setLoaded({ kind: 'text', text: decoded });
      },
      (err: unknown) => live && setLoaded({ kind: 'refused', reason: errorText(t, err) }),
    );
    return () => {
      live = false;
    };
    // read once per opened file: a new `run` or `t` must not read it again over the edits
  }, [entry.path]);

  const save = async () => {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length > editLimit) return setProblem(t('editor.tooLarge', { size: formatBytes(bytes.length), limit: formatBytes(editLimit) }));
    const content = new Blob([bytes]);
    setBusy(true);
    setProblem('');
    try {
      await run((code) => api(code).save(entry.path, content));
      onSaved();
    } catch (err) {
      setProblem(errorText(t, err));
      setBusy(false);
    }
  };

  return (
    <Modal title={t('editor.title', { name: entry.name })} onClose={onClose} testId="files-editor">
      <div className="files-editor">
        <p className="muted files-editor-path">{entry.path}</p>
        {loaded.kind === 'loading' && <p className="muted">{t('common:loading')}</p>}
        {loaded.kind === 'refused' && (
          <p className="error-text" role="alert" data-testid="files-editor-refused">
            {loaded.reason}
          </p>
        )}
        {loaded.kind === 'text' && (
          <textarea name="content" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} autoCapitalize="off" wrap="off" rows={20} data-testid="files-editor-text" />
        )}
        <MessageLine text={problem} testId="files-editor-error" />
        {loaded.kind === 'text' ? (
          <DialogActions onCancel={onClose} busy={busy || text === loaded.text} label={busy ? t('editor.saving') : t('editor.save')} onConfirm={() => void save()} testId="files-editor-save" />
        ) : (
          <div className="nodes-dialog-actions">
            <button type="button" onClick={onClose}>
              {t('common:close')}
            </button>
          </div>
        )}
      </div>
    </Modal>
  );
}
