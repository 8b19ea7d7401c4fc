// Admin → servers: every node with its live state; add, edit, reorder, remove, install command.
import type { NodeWire } from '@komari-ts/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiSend } from '../../lib/api.ts';
import { useAsync } from '../../lib/use-async.ts';
import { loadAdminNodes } from '../shared/admin-nodes.ts';
import { InstallCommands } from './install-commands.tsx';
import { Modal } from './modal.tsx';
import { NodeAddDialog } from './node-add-dialog.tsx';
import { NodeEditDialog } from './node-edit-dialog.tsx';
import { NodeRemoveDialog } from './node-remove-dialog.tsx';
import { NodesTable, type NodeAction } from './nodes-table.tsx';
import { useOnlineNodes } from '../../lib/use-online-nodes.ts';
import './nodes.css';
import { MessageLine } from '../../lib/message-line.tsx';
import { serverErrorText } from '../../lib/server-error.ts';

type Open = { kind: 'add' } | { kind: NodeAction; node: NodeWire } | undefined;

export default function NodesPage() {
  const { t } = useTranslation('admin-nodes');
  const list = useAsync(loadAdminNodes, []);
  const online = useOnlineNodes();
  const [nodes, setNodes] = useState<NodeWire[]>([]);
  const [open, setOpen] = useState<Open>();
  const [saving, setSaving] = useState(false);
  const [orderError, setOrderError] = useState('');

  useEffect(() => {
    if (list.data) setNodes(list.data);
  }, [list.data]);

  const move = async (index: number, by: -1 | 1) => {
    const next = [...nodes];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    setNodes(next);
    setSaving(true);
    setOrderError('');
    try {
      await apiSend('/api/admin/client/order', Object.fromEntries(next.map((n, i) => [n.uuid, i])));
    } catch (err) {
      setOrderError(t('order.failed', { message: serverErrorText(t, err) }));
    } finally {
      setSaving(false);
      list.reload();
    }
  };

  const done = () => {
    setOpen(undefined);
    list.reload();
  };

  return (
    <section className="nodes-page">
      <div className="nodes-title-row">
        <h1>{t('title')}</h1>
        <button type="button" className="primary" onClick={() => setOpen({ kind: 'add' })} data-testid="add-node">
          {t('add.button')}
        </button>
      </div>
      {list.error && (
        <p className="error-text" role="alert">
          {t('common:error', { message: list.error.message })} <button onClick={list.reload}>{t('common:retry')}</button>
        </p>
      )}
      <MessageLine text={orderError} />
      {list.data && nodes.length === 0 && <p className="muted nodes-empty">{t('empty')}</p>}
      {nodes.length > 0 && <NodesTable nodes={nodes} online={online} busy={saving} onMove={(i, by) => void move(i, by)} onAction={(kind, node) => setOpen({ kind, node })} />}
      {!list.data && !list.error && <p className="muted">{t('common:loading')}</p>}
      {open?.kind === 'add' && <NodeAddDialog onClose={done} onAdded={list.reload} />}
      {open?.kind === 'edit' && <NodeEditDialog node={open.node} onClose={() => setOpen(undefined)} onSaved={done} />}
      {open?.kind === 'remove' && <NodeRemoveDialog node={open.node} onClose={() => setOpen(undefined)} onRemoved={done} />}
      {open?.kind === 'install' && (
        <Modal title={t('install.title', { name: open.node.name })} onClose={() => setOpen(undefined)} testId="node-install">
          {open.node.token ? <InstallCommands token={open.node.token} /> : <p className="error-text">{t('install.noToken')}</p>}
        </Modal>
      )}
    </section>
  );
}
