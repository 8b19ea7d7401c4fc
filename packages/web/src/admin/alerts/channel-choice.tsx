// Where a rule's notices go: every enabled channel (null, the default, which also covers channels
// added later) or a checklist of channels, Komari's sender (id 0) first.
import { useTranslation } from 'react-i18next';
import type { ChannelWire } from '@komari-ts/protocol';
import { channelNamer, komariSenderId } from './channel-names.ts';

interface Props {
  channels: readonly ChannelWire[];
  value: number[] | null;
  onChange: (next: number[] | null) => void;
  /** keeps radio groups apart when several choices share a page */
  name: string;
}

export function ChannelChoice({ channels, value, onChange, name }: Props) {
  const { t, i18n } = useTranslation('admin-alerts');
  const nameOf = channelNamer(i18n, channels);
  const ids = [komariSenderId, ...channels.map((c) => c.id)];
  const toggle = (id: number, on: boolean) => {
    const chosen = new Set(value ?? []);
    if (on) chosen.add(id);
    else chosen.delete(id);
    onChange(ids.filter((i) => chosen.has(i)));
  };
  return (
    <fieldset className="alerts-channel-choice" data-testid="channel-choice">
      <legend>{t('choice.legend')}</legend>
      <label className="inline">
        <input type="radio" name={`${name}-all`} checked={value === null} onChange={() => onChange(null)} />
        <span>{t('choice.all')}</span>
      </label>
      <label className="inline">
        <input type="radio" name={`${name}-all`} checked={value !== null} onChange={() => onChange(value ?? [])} />
        <span>{t('choice.some')}</span>
      </label>
      {value !== null && (
        <div className="alerts-choice-list">
          {ids.map((id) => {
            const disabled = channels.find((c) => c.id === id)?.enabled === false;
            return (
              <label key={id} className="inline">
                <input type="checkbox" checked={value.includes(id)} onChange={(e) => toggle(id, e.target.checked)} />
                <span>
                  {nameOf(id)}
                  {disabled && <small className="muted"> {t('choice.disabled')}</small>}
                </span>
              </label>
            );
          })}
        </div>
      )}
    </fieldset>
  );
}

/** "All enabled channels" or the chosen names, for a table cell. */
export function channelsText(t: (key: string) => string, nameOf: (id: number) => string, value: number[] | null): string {
  if (value === null) return t('admin-alerts:choice.all');
  if (value.length === 0) return t('admin-alerts:choice.noneChosen');
  return value.map(nameOf).join(', ');
}
