// One managed item as a form control (themes.md §3.1): headings and static text, text, number,
// select, switch, long text, and the node and ping-task pickers.
import type { ManagedItem } from '@komari-ts/protocol/theme';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminNode } from '../shared/admin-nodes.ts';
import { NodePicker } from '../shared/node-picker.tsx';
import type { PingTask } from '../ping/ping-api.ts';
import { localized } from './localized.ts';
import { selectOptions, type DraftValue } from './managed-values.ts';
import { SafeHtml } from './safe-html.tsx';

interface Props {
  item: ManagedItem;
  value: DraftValue | undefined;
  onChange: (v: DraftValue) => void;
  nodes: readonly AdminNode[];
  pingTasks: readonly PingTask[];
}

export function ManagedField({ item, value, onChange, nodes, pingTasks }: Props) {
  const { t, i18n } = useTranslation('admin-themes');
  const lang = i18n.language;
  const label = localized(item.name, lang) || item.key || '';
  const help = localized(item.help, lang);
  const hint = help && <small className="muted settings-hint">{help}</small>;
  const mark = item.required ? ` ${t('settings.required')}` : '';
  const key = item.key ?? '';

  switch (item.type) {
    case 'title':
      return <h3 className="theme-settings-heading">{label}</h3>;
    case 'textbox':
      return <SafeHtml className="theme-settings-textbox" html={localized(item.name, lang)} />;
    case 'switch':
      return (
        <label className="settings-switch">
          <input type="checkbox" role="switch" name={key} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <span className="settings-switch-text">
            <span className="settings-switch-label">{label + mark}</span>
            {hint}
          </span>
        </label>
      );
    case 'nodes':
      return (
        <div className="theme-settings-field" data-testid={`theme-setting-${key}`}>
          <NodePicker nodes={nodes} selected={new Set(Array.isArray(value) ? (value as string[]) : [])} onChange={(next) => onChange([...next])} label={label + mark} />
          {hint}
        </div>
      );
    case 'pingtasks':
      return <PingTaskPicker label={label + mark} hint={hint} name={key} tasks={pingTasks} value={Array.isArray(value) ? (value as number[]) : []} onChange={onChange} />;
    default:
      break;
  }
  const text = typeof value === 'string' ? value : '';
  let control;
  if (item.type === 'select') {
    const options = selectOptions(item);
    control = (
      <select name={key} value={text} onChange={(e) => onChange(e.target.value)}>
        {!options.includes(text) && <option value={text}>{text || t('settings.none')}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (item.type === 'number') {
    control = <input type="number" step="any" name={key} value={text} required={item.required} onChange={(e) => onChange(e.target.value)} />;
  } else if (item.type === 'richtext') {
    control = <textarea name={key} value={text} onChange={(e) => onChange(e.target.value)} spellCheck={false} />;
  } else {
    // `string`, and a type this page does not know: a value the theme reads as text
    control = <input name={key} value={text} required={item.required} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <label className="settings-field">
      <span>{label + mark}</span>
      {control}
      {hint}
    </label>
  );
}

function PingTaskPicker({ label, hint, name, tasks, value, onChange }: { label: string; hint: ReactNode; name: string; tasks: readonly PingTask[]; value: number[]; onChange: (v: number[]) => void }) {
  const { t } = useTranslation('admin-themes');
  const selected = new Set(value);
  const toggle = (id: number, on: boolean) => onChange(on ? [...selected, id] : [...selected].filter((x) => x !== id));
  return (
    <fieldset className="node-picker" data-testid={`theme-setting-${name}`}>
      <legend>{label}</legend>
      {tasks.length === 0 ? (
        <p className="muted">{t('settings.noPingTasks')}</p>
      ) : (
        <div className="node-picker-list">
          {tasks.map((task) => (
            <label key={task.id} className="node-picker-item">
              <input type="checkbox" name={name} value={task.id} checked={selected.has(task.id)} onChange={(e) => toggle(task.id, e.target.checked)} />
              <span className="node-picker-name">{task.name}</span>
            </label>
          ))}
        </div>
      )}
      {hint}
    </fieldset>
  );
}
