// The node list: order controls, live state, identity columns and per-node actions. On a phone
// each row becomes a card (nodes.css), its actions a full-width wrapped line inside the screen.
import type { NodeWire } from '@komari-ts/protocol';
import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router.tsx';

export type NodeAction = 'edit' | 'install' | 'remove';

interface Props {
  nodes: NodeWire[];
  online: ReadonlySet<string> | undefined;
  busy: boolean;
  onMove: (index: number, by: -1 | 1) => void;
  onAction: (action: NodeAction, node: NodeWire) => void;
}

export function NodesTable({ nodes, online, busy, onMove, onAction }: Props) {
  const { t } = useTranslation('admin-nodes');
  return (
    <div className="table-scroll">
      <table className="grid nodes-table">
        <thead>
          <tr>
            <th>{t('columns.order')}</th>
            <th>{t('columns.status')}</th>
            <th>{t('columns.name')}</th>
            <th>{t('columns.group')}</th>
            <th>{t('columns.ip')}</th>
            <th>{t('columns.os')}</th>
            <th>{t('columns.version')}</th>
            <th>{t('columns.visibility')}</th>
            <th>{t('columns.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n, i) => (
            <NodeRow key={n.uuid} node={n} index={i} last={i === nodes.length - 1} online={online} busy={busy} onMove={onMove} onAction={onAction} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NodeRow({ node: n, index, last, online, busy, onMove, onAction }: Omit<Props, 'nodes'> & { node: NodeWire; index: number; last: boolean }) {
  const { t } = useTranslation('admin-nodes');
  const state = online === undefined ? 'unknown' : online.has(n.uuid) ? 'online' : 'offline';
  return (
    <tr data-uuid={n.uuid} data-testid="node-row">
      <td className="order-cell">
        <button type="button" aria-label={t('actions.up', { name: n.name })} disabled={busy || index === 0} onClick={() => onMove(index, -1)}>
          ↑
        </button>
        <button type="button" aria-label={t('actions.down', { name: n.name })} disabled={busy || last} onClick={() => onMove(index, 1)}>
          ↓
        </button>
      </td>
      <td className="state-cell">
        <span className={`state-dot state-${state}`} aria-hidden="true" />
        <span data-testid="node-state">{t(`state.${state}`)}</span>
      </td>
      <td className="name-cell">
        {n.region && <span className="region">{n.region} </span>}
        <span data-testid="node-name">{n.name}</span>
        {n.remark && <div className="muted remark">{n.remark}</div>}
      </td>
      <td className="group-cell">{n.group || <span className="muted">—</span>}</td>
      <td className="ip-cell">
        {n.ipv4 || n.ipv6 ? (
          <>
            {n.ipv4 && <div>{n.ipv4}</div>}
            {n.ipv6 && <div className="muted">{n.ipv6}</div>}
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="os-cell">{n.os || <span className="muted">—</span>}</td>
      <td className="version-cell">{n.version || <span className="muted">—</span>}</td>
      <td className="visibility-cell" data-testid="node-visibility">{n.hidden ? <span className="badge-hidden">{t('visibility.hidden')}</span> : t('visibility.public')}</td>
      <td className="actions-td">
        <div className="actions-cell" data-testid="node-actions">
          <button type="button" onClick={() => onAction('edit', n)}>
            {t('common:edit')}
          </button>
          <button type="button" onClick={() => onAction('install', n)}>
            {t('actions.install')}
          </button>
          <a className="button" href={`/terminal?uuid=${encodeURIComponent(n.uuid)}`} target="_blank" rel="noopener">
            {t('actions.terminal')}
          </a>
          <Link className="button" href={`/admin/files/${encodeURIComponent(n.uuid)}`}>
            {t('actions.files')}
          </Link>
          <button type="button" className="danger" onClick={() => onAction('remove', n)}>
            {t('common:delete')}
          </button>
        </div>
      </td>
    </tr>
  );
}
