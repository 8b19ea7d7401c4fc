// The field shapes the settings page uses: a text box, a text area and a labelled switch.
import type { ReactNode } from 'react';

export function TextField({ name, label, hint, value, onChange, multiline, children }: {
  name: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
  multiline?: boolean;
  children?: ReactNode;
}) {
  return (
    <label className="settings-field">
      <span>{label}</span>
      <span className="settings-input-row">
        {multiline ? (
          <textarea name={name} value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
        ) : (
          <input name={name} value={value} onChange={(e) => onChange(e.target.value)} />
        )}
        {children}
      </span>
      {hint && <small className="muted settings-hint">{hint}</small>}
    </label>
  );
}

export function Switch({ name, label, hint, checked, onChange }: { name: string; label: string; hint?: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="settings-switch">
      <input type="checkbox" role="switch" name={name} checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span className="settings-switch-text">
        <span className="settings-switch-label">{label}</span>
        {hint && <small className="muted settings-hint">{hint}</small>}
      </span>
    </label>
  );
}
