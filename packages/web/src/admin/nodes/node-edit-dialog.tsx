// Edit every field an admin may change on a node. Only changed fields are sent; a refusal from
// the server is shown in the dialog and the node stays as it was.
import type { NodeWire } from '@komari-ts/protocol';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { apiSend } from '../../lib/api.ts';
import { DialogActions, Modal } from './modal.tsx';
import { formOf, patchOf, trafficTypes, type NodeForm } from './node-form.ts';
import { MessageLine } from '../../lib/message-line.tsx';
import { NodeRemoteFields } from '../remote-control/node-remote-fields.tsx';
import { followServer, overridePatch, type RemoteNodeFields } from '../remote-control/remote-kinds.ts';
import { serverErrorText } from '../../lib/server-error.ts';

type TextKey = { [K in keyof NodeForm]: NodeForm[K] extends string ? K : never }[keyof NodeForm];
type FlagKey = { [K in keyof NodeForm]: NodeForm[K] extends boolean ? K : never }[keyof NodeForm];

export function NodeEditDialog({ node, onClose, onSaved }: { node: NodeWire & RemoteNodeFields; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation('admin-nodes');
  const [initial] = useState(() => formOf(node));
  const [form, setForm] = useState(initial);
  const [remote, setRemote] = useState(node.remote_control ?? followServer);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof NodeForm>(key: K, value: NodeForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const text = (key: TextKey, extra: { type?: string; hint?: string; step?: string; multiline?: boolean } = {}): ReactNode => (
    <label className={extra.multiline ? 'field-wide' : undefined}>
      <span>{t(`fields.${key}`)}</span>
      {extra.multiline ? (
        <textarea name={key} value={form[key]} onChange={(e) => set(key, e.target.value)} rows={2} />
      ) : (
        <input name={key} type={extra.type ?? 'text'} step={extra.step} value={form[key]} onChange={(e) => set(key, e.target.value)} />
      )}
      {extra.hint && <small className="muted">{extra.hint}</small>}
    </label>
  );
  const flag = (key: FlagKey): ReactNode => (
    <label className="inline field-flag">
      <input type="checkbox" name={key} checked={form[key]} onChange={(e) => set(key, e.target.checked)} />
      <span>{t(`fields.${key}`)}</span>
    </label>
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const patch = patchOf(initial, form);
    const remotePatch = node.remote_control && overridePatch(node.remote_control, remote);
    if (remotePatch) patch.remote_control = remotePatch;
    if (Object.keys(patch).length === 0) return onClose();
    setBusy(true);
    setError('');
    try {
      await apiSend(`/api/admin/client/${encodeURIComponent(node.uuid)}/edit`, patch);
      onSaved();
    } catch (err) {
      setError(t('edit.failed', { message: serverErrorText(t, err) }));
      setBusy(false);
    }
  };

  return (
    <Modal title={t('edit.title', { name: node.name })} onClose={onClose} testId="node-edit">
      <form className="node-form" onSubmit={(e) => void submit(e)}>
        <fieldset>
          <legend>{t('edit.basics')}</legend>
          {text('name')}
          {text('region', { hint: t('hints.region') })}
          {text('group')}
          {text('tags', { hint: t('hints.tags') })}
          {text('weight', { type: 'number', hint: t('hints.weight') })}
          {flag('hidden')}
          {text('public_remark', { multiline: true, hint: t('hints.public_remark') })}
          {text('remark', { multiline: true, hint: t('hints.remark') })}
        </fieldset>
        <fieldset>
          <legend>{t('edit.billing')}</legend>
          {text('price', { type: 'number', step: 'any', hint: t('hints.price') })}
          {text('currency')}
          {text('billing_cycle', { type: 'number', hint: t('hints.billing_cycle') })}
          {text('expired_at', { type: 'date', hint: t('hints.expired_at') })}
          {flag('auto_renewal')}
        </fieldset>
        <fieldset>
          <legend>{t('edit.traffic')}</legend>
          {text('traffic_limit', { type: 'number', step: 'any', hint: t('hints.traffic_limit') })}
          <label>
            <span>{t('fields.traffic_limit_type')}</span>
            <select name="traffic_limit_type" value={form.traffic_limit_type} onChange={(e) => set('traffic_limit_type', e.target.value)}>
              {trafficTypes.map((ty) => (
                <option key={ty} value={ty}>
                  {t(`trafficTypes.${ty}`)}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        {node.remote_control && <NodeRemoteFields value={remote} onChange={setRemote} capabilities={node.capabilities} />}
        <MessageLine text={error} testId="edit-error" />
        <DialogActions onCancel={onClose} busy={busy} label={t('common:save')} />
      </form>
    </Modal>
  );
}
