// A labelled number box holding text (see rule-form.ts), with an optional hint below it.
export function NumberField({ name, label, hint, value, onChange, step }: {
  name: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (v: string) => void;
  /** "any" for decimals; whole numbers otherwise */
  step?: string;
}) {
  return (
    <label className="settings-field alerts-number">
      <span>{label}</span>
      <input name={name} type="number" inputMode={step === 'any' ? 'decimal' : 'numeric'} step={step ?? '1'} value={value} onChange={(e) => onChange(e.target.value)} />
      {hint && <small className="muted settings-hint">{hint}</small>}
    </label>
  );
}
