// The rules that are plain settings (the global switch and template, traffic, expiry, login),
// one card each with its own Save that writes only that card's keys, and only those changed.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { errorText } from '../shared/error-text.ts';
import { Switch } from '../settings/settings-fields.tsx';
import { saveAlertSettings, type AlertSettings } from './alerts-api.ts';
import { NumberField } from './number-field.tsx';
import { FormProblem, needNumber, needWhole } from './rule-form.ts';

type Key = keyof AlertSettings;

/** How one setting is edited: a switch, a whole number in bounds, any number, an hour, the template. */
export type FieldSpec =
  | { key: Key; type: 'switch' }
  | { key: Key; type: 'whole'; min: number; max: number }
  | { key: Key; type: 'number' }
  | { key: Key; type: 'hour' }
  | { key: Key; type: 'template' };

const placeholders = ['event', 'client', 'clients', 'message', 'emoji', 'time'] as const;

type Draft = Record<string, string | boolean>;

const draftOf = (specs: readonly FieldSpec[], s: AlertSettings): Draft =>
  Object.fromEntries(specs.map((f) => [f.key, f.type === 'switch' ? s[f.key] === true : String(s[f.key] ?? '')]));

/** The values to save; throws a FormProblem for the first number out of range. */
function bodyOf(specs: readonly FieldSpec[], d: Draft, label: (k: Key) => string): Partial<AlertSettings> {
  const out: Record<string, unknown> = {};
  for (const f of specs) {
    const v = d[f.key]!;
    if (f.type === 'switch' || f.type === 'template') out[f.key] = v;
    else if (f.type === 'whole') out[f.key] = needWhole(String(v), f.min, f.max, label(f.key));
    else if (f.type === 'hour') out[f.key] = Number(v);
    else out[f.key] = needNumber(String(v), -1e9, 1e9, label(f.key));
  }
  return out as Partial<AlertSettings>;
}

interface Props {
  /** the card's name in `settings.cards.*` and its test id */
  card: string;
  specs: readonly FieldSpec[];
  stored: AlertSettings;
  onSaved: () => void;
}

export function SettingsCard({ card, specs, stored, onSaved }: Props) {
  const { t, i18n } = useTranslation('admin-alerts');
  const [draft, setDraft] = useState(() => draftOf(specs, stored));
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const label = (k: Key) => t(`settings.fields.${k}`);
  const set = (k: Key) => (v: string | boolean) => (setDraft({ ...draft, [k]: v }), setStatus(undefined));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    let body: Partial<AlertSettings>;
    try {
      body = bodyOf(specs, draft, label);
    } catch (err) {
      if (err instanceof FormProblem) return setStatus({ kind: 'error', text: t(err.message, err.values) });
      throw err;
    }
    const changed = Object.fromEntries(Object.entries(body).filter(([k, v]) => v !== stored[k as Key]));
    if (Object.keys(changed).length === 0) return setStatus({ kind: 'ok', text: t('unchanged') });
    setBusy(true);
    try {
      await saveAlertSettings(changed);
      setStatus({ kind: 'ok', text: t('saved') });
      onSaved();
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(t, err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card settings-section" onSubmit={(e) => void save(e)} noValidate data-testid={`rules-${card}`}>
      <h2>{t(`settings.cards.${card}.title`)}</h2>
      <p className="muted alerts-text">{t(`settings.cards.${card}.intro`)}</p>
      {specs.map((f) => {
        const v = draft[f.key]!;
        const hintKey = `admin-alerts:settings.hints.${f.key}`;
        const hint = i18n.exists(hintKey) ? t(hintKey) : '';
        if (f.type === 'switch') return <Switch key={f.key} name={f.key} label={label(f.key)} hint={hint} checked={v === true} onChange={set(f.key)} />;
        if (f.type === 'template') return <TemplateField key={f.key} value={String(v)} onChange={set(f.key)} />;
        if (f.type === 'hour') return <HourField key={f.key} name={f.key} label={label(f.key)} hint={hint} value={String(v)} onChange={set(f.key)} />;
        return <NumberField key={f.key} name={f.key} label={label(f.key)} hint={hint} value={String(v)} onChange={set(f.key)} step={f.type === 'number' ? 'any' : undefined} />;
      })}
      <div className="tools-actions alerts-actions">
        <MessageLine text={status?.text} kind={status?.kind} testId={`rules-${card}-status`} />
        <button type="submit" className="primary" disabled={busy}>
          {t('common:save')}
        </button>
      </div>
    </form>
  );
}

function HourField({ name, label, hint, value, onChange }: { name: string; label: string; hint: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="settings-field alerts-number">
      <span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {Array.from({ length: 24 }, (_, h) => (
          <option key={h} value={String(h)}>
            {`${String(h).padStart(2, '0')}:00`}
          </option>
        ))}
      </select>
      {hint && <small className="muted settings-hint">{hint}</small>}
    </label>
  );
}

/** The global template with what each placeholder becomes. */
function TemplateField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useTranslation('admin-alerts');
  return (
    <label className="settings-field">
      <span>{t('settings.fields.notification_template')}</span>
      <textarea name="notification_template" value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} />
      <small className="muted settings-hint">{t('settings.hints.notification_template')}</small>
      <ul className="alerts-placeholders" data-testid="template-placeholders">
        {placeholders.map((p) => (
          <li key={p}>
            <code className="tools-mono">{`{{${p}}}`}</code> {t(`placeholders.${p}`)}
          </li>
        ))}
      </ul>
    </label>
  );
}
