// Removing a node deletes its history too, so it asks first.
import type { NodeWire } from '@komari-ts/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiSend } from '../../lib/api.ts';
import { DialogActions, Modal } from './modal.tsx';
import { MessageLine } from '../../lib/message-line.tsx';
import { serverErrorText } from '../../lib/server-error.ts';

export function NodeRemoveDialog({ node, onClose, onRemoved }: { node: NodeWire; onClose: () => void; onRemoved: () => void }) {
  const { t } = useTranslation('admin-nodes');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    try {
      await apiSend(`/api/admin/client/${encodeURIComponent(node.uuid)}/remove`);
      onRemoved();
    } catch (err) {
      setError(t('remove.failed', { message: serverErrorText(t, err) }));
      setBusy(false);
    }
  };
  return (
    <Modal title={t('remove.title')} onClose={onClose} testId="node-remove">
      <p>{t('remove.question', { name: node.name })}</p>
      <p className="muted">{t('remove.warning')}</p>
      <MessageLine text={error} />
      <DialogActions onCancel={onClose} busy={busy} label={t('common:delete')} tone="danger" onConfirm={() => void remove()} testId="confirm-remove" />
    </Modal>
  );
}
