// Choosing nodes with checkboxes: shared by ping tasks and remote exec. With `online` given, each
// node shows a status dot and "All online" selects exactly the nodes that can run something now.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminNode } from './admin-nodes.ts';
import './node-picker.css';

/** Past this many nodes a filter box appears: long fleets are found by name, not by scrolling. */
const filterFrom = 10;

interface Props {
  nodes: readonly AdminNode[];
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  online?: ReadonlySet<string>;
  /** the group's accessible name */
  label: string;
}

export function NodePicker({ nodes, selected, onChange, online, label }: Props) {
  const { t } = useTranslation('admin-ping');
  const [filter, setFilter] = useState('');
  const shown = filter ? nodes.filter((n) => n.name.toLowerCase().includes(filter.toLowerCase())) : nodes;
  const toggle = (uuid: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(uuid);
    else next.delete(uuid);
    onChange(next);
  };

  return (
    <fieldset className="node-picker" data-testid="node-picker">
      <legend>{label}</legend>
      <div className="node-picker-tools">
        <span className="muted">{t('picker.count', { selected: selected.size, total: nodes.length })}</span>
        <button type="button" onClick={() => onChange(new Set(nodes.map((n) => n.uuid)))}>
          {t('picker.all')}
        </button>
        {online && (
          <button type="button" data-testid="pick-online" onClick={() => onChange(new Set(nodes.filter((n) => online.has(n.uuid)).map((n) => n.uuid)))}>
            {t('picker.allOnline')}
          </button>
        )}
        <button type="button" onClick={() => onChange(new Set())}>
          {t('picker.none')}
        </button>
        {nodes.length > filterFrom && (
          <input type="search" placeholder={t('picker.filter')} aria-label={t('picker.filter')} value={filter} onChange={(e) => setFilter(e.target.value)} />
        )}
      </div>
      {nodes.length === 0 ? (
        <p className="muted">{t('picker.empty')}</p>
      ) : (
        <div className="node-picker-list">
          {shown.map((n) => (
            <label key={n.uuid} className="node-picker-item">
              <input type="checkbox" checked={selected.has(n.uuid)} onChange={(e) => toggle(n.uuid, e.target.checked)} />
              {online && (
                <span className={online.has(n.uuid) ? 'picker-dot online' : 'picker-dot'} title={online.has(n.uuid) ? t('picker.online') : t('picker.offline')} />
              )}
              <span className="node-picker-name">{n.name}</span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
