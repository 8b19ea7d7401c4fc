// The node edit dialog's "Remote control" part: for each kind, follow the server-wide switch or
// force it on or off for this node; and what the node's agent reported it can do.
import { useTranslation } from 'react-i18next';
import { choiceOf, remoteKinds, valueOf, type OverrideChoice, type RemoteOverride } from './remote-kinds.ts';
import './remote-control.css';

const choices: readonly OverrideChoice[] = ['follow', 'on', 'off'];

export function NodeRemoteFields({ value, onChange, capabilities }: { value: RemoteOverride; onChange: (next: RemoteOverride) => void; capabilities: string[] | null | undefined }) {
  const { t } = useTranslation('admin-remote-control');
  return (
    <fieldset data-testid="node-remote-control">
      <legend>{t('node.title')}</legend>
      {remoteKinds.map((k) => (
        <label key={k}>
          <span>{t(`node.kinds.${k}`)}</span>
          <select name={`remote_${k}`} value={choiceOf(value[k])} onChange={(e) => onChange({ ...value, [k]: valueOf(e.target.value as OverrideChoice) })}>
            {choices.map((c) => (
              <option key={c} value={c}>
                {t(`node.choices.${c}`)}
              </option>
            ))}
          </select>
        </label>
      ))}
      <small className="muted field-wide">{t('node.hint')}</small>
      {/* a server that does not send the field (yet) has no report either */}
      <Capabilities list={capabilities ?? null} />
    </fieldset>
  );
}

/** The agent's reported capabilities as chips; "not reported" when it never said. */
export function Capabilities({ list }: { list: string[] | null }) {
  const { t } = useTranslation('admin-remote-control');
  return (
    <div className="field-wide remote-capabilities" data-testid="node-capabilities">
      <span>{t('capabilities.title')}</span>
      {list === null ? (
        <span className="muted">{t('capabilities.notReported')}</span>
      ) : list.length === 0 ? (
        <span className="muted">{t('capabilities.none')}</span>
      ) : (
        <ul className="chips">
          {list.map((c) => (
            <li key={c} className="chip">
              {c}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
