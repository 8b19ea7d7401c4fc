// One input per field of a provider's schema: text, number, a choice, a switch or a text area;
// secrets (a name holding "secret" or "key") as a password box with a show toggle. The alerts page
// renders message senders' fields (the same Item list) with it, from its own namespace's words.
import type { i18n as I18n, TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderItem } from '@komari-ts/protocol';
import { isSecretField, optionsOf, type FieldValue, type ProviderDraft } from './sso-form.ts';

/**
 * Where the words come from: a namespace holding `fields.*`, `hints.*`, `providerHints.<p>.*`,
 * `required`, `choose`, `show` and `hide`; `prefix` keeps ids and test ids apart when two forms
 * share a page.
 */
export interface FieldWords {
  ns: string;
  prefix: string;
}
const ssoWords: FieldWords = { ns: 'admin-sso', prefix: 'sso' };

interface FieldsProps {
  provider: string;
  items: ProviderItem[];
  draft: ProviderDraft;
  onChange: (name: string, value: FieldValue) => void;
  words?: FieldWords;
}

export function ProviderFields({ provider, items, draft, onChange, words = ssoWords }: FieldsProps) {
  return (
    <div className="sso-fields" data-testid={`${words.prefix}-fields`}>
      {items.map((item) => (
        <ProviderField key={item.name} provider={provider} item={item} value={draft[item.name] ?? ''} onChange={(v) => onChange(item.name, v)} words={words} />
      ))}
    </div>
  );
}

/** A field this UI has no words for (a newer server's) keeps its own name (and the server's help). */
export function fieldLabel(t: TFunction, i18n: I18n, name: string, ns = ssoWords.ns): string {
  return i18n.exists(`${ns}:fields.${name}`) ? t(`${ns}:fields.${name}`) : name;
}

/** This provider's own words for a field, else the words for the field, else the server's help. */
function fieldHint(t: TFunction, i18n: I18n, provider: string, item: ProviderItem, ns: string): string {
  for (const key of [`providerHints.${provider}.${item.name}`, `hints.${item.name}`]) if (i18n.exists(`${ns}:${key}`)) return t(`${ns}:${key}`);
  return item.help;
}

interface FieldProps {
  provider: string;
  item: ProviderItem;
  value: FieldValue;
  onChange: (v: FieldValue) => void;
  words: FieldWords;
}

function ProviderField({ provider, item, value, onChange, words }: FieldProps) {
  const { t, i18n } = useTranslation(words.ns);
  const label = fieldLabel(t, i18n, item.name, words.ns);
  const hint = fieldHint(t, i18n, provider, item, words.ns);
  const hintId = `${words.prefix}-hint-${item.name}`;
  if (item.type === 'bool') {
    return (
      <label className="settings-switch">
        <input type="checkbox" role="switch" name={item.name} checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-describedby={hint ? hintId : undefined} />
        <span className="settings-switch-text">
          <span className="settings-switch-label">{label}</span>
          {hint && <small id={hintId} className="muted settings-hint">{hint}</small>}
        </span>
      </label>
    );
  }
  const text = typeof value === 'string' ? value : '';
  return (
    <label className="settings-field">
      <span>
        {label}
        {item.required && (
          <span className="sso-required" title={t('required')}>
            {' *'}
            <span className="visually-hidden">{t('required')}</span>
          </span>
        )}
      </span>
      <span className="settings-input-row">
        <FieldInput item={item} value={text} onChange={onChange} describedBy={hint ? hintId : undefined} words={words} />
      </span>
      {hint && <small id={hintId} className="muted settings-hint">{hint}</small>}
    </label>
  );
}

interface InputProps {
  item: ProviderItem;
  value: string;
  onChange: (v: string) => void;
  describedBy?: string;
  words: FieldWords;
}

function FieldInput({ item, value, onChange, describedBy, words }: InputProps) {
  const { t } = useTranslation(words.ns);
  const [shown, setShown] = useState(false);
  const common = { name: item.name, 'aria-describedby': describedBy, 'aria-required': item.required || undefined };
  if (item.type === 'option') {
    const choices = optionsOf(item);
    return (
      <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
        {!choices.includes(value) && <option value={value}>{value || t('choose')}</option>}
        {choices.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  }
  if (item.type === 'richtext') return <textarea {...common} value={value} onChange={(e) => onChange(e.target.value)} spellCheck={false} />;
  if (isSecretField(item.name)) {
    return (
      <>
        <input {...common} type={shown ? 'text' : 'password'} autoComplete="new-password" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} />
        <button type="button" aria-pressed={shown} onClick={() => setShown((s) => !s)} data-testid={`${words.prefix}-show-${item.name}`}>
          {shown ? t('hide') : t('show')}
        </button>
      </>
    );
  }
  const numeric = item.type === 'int';
  return <input {...common} inputMode={numeric ? 'numeric' : undefined} autoComplete="off" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)} />;
}
