// Add a node: a name, then its token and the commands that start an agent with it.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiSend } from '../../lib/api.ts';
import { InstallCommands } from './install-commands.tsx';
import { DialogActions, Modal } from './modal.tsx';
import { MessageLine } from '../../lib/message-line.tsx';
import { serverErrorText } from '../../lib/server-error.ts';

export function NodeAddDialog({ onClose, onAdded }: { onClose: () => void; onAdded: () => void }) {
  const { t } = useTranslation('admin-nodes');
  const [name, setName] = useState('');
  const [token, setToken] = useState<string>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const res = await apiSend<{ uuid: string; token: string }>('/api/admin/client/add', { name: name.trim() });
      setToken(res.token);
      onAdded();
    } catch (err) {
      setError(t('add.failed', { message: serverErrorText(t, err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('add.title')} onClose={onClose} testId="node-add">
      {token ? (
        <>
          <p className="ok-text">{t('add.done')}</p>
          <InstallCommands token={token} />
          <div className="nodes-dialog-actions">
            <button type="button" className="primary" onClick={onClose}>
              {t('common:close')}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)}>
          <label>
            <span>{t('fields.name')}</span>
            <input name="name" autoFocus value={name} maxLength={100} onChange={(e) => setName(e.target.value)} placeholder={t('add.namePlaceholder')} />
          </label>
          <MessageLine text={error} />
          <DialogActions onCancel={onClose} busy={busy} label={t('add.submit')} />
        </form>
      )}
    </Modal>
  );
}
