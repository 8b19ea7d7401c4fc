// What every alert rule has beside its condition: a reminder while it lasts, a notice when it is
// over, and where its notices go.
import { useTranslation } from 'react-i18next';
import type { ChannelWire } from '@komari-ts/protocol';
import { ChannelChoice } from './channel-choice.tsx';
import { NumberField } from './number-field.tsx';

export interface Extras {
  reminder: string;
  notifyResolved: boolean;
  channels: number[] | null;
}

export const extrasOf = (r?: { reminder_minutes: number; notify_resolved: boolean; channels: number[] | null }): Extras => ({
  reminder: String(r?.reminder_minutes ?? 0),
  notifyResolved: r?.notify_resolved ?? true,
  channels: r?.channels ?? null,
});

/** Longest reminder period: a week. */
export const maxReminderMinutes = 10_080;

export function RuleExtras({ value, onChange, channels, name }: { value: Extras; onChange: (v: Extras) => void; channels: readonly ChannelWire[]; name: string }) {
  const { t } = useTranslation('admin-alerts');
  return (
    <>
      <NumberField name="reminder_minutes" label={t('rule.reminder')} hint={t('rule.reminderHint')} value={value.reminder} onChange={(reminder) => onChange({ ...value, reminder })} />
      <label className="inline alerts-check">
        <input type="checkbox" name="notify_resolved" checked={value.notifyResolved} onChange={(e) => onChange({ ...value, notifyResolved: e.target.checked })} />
        <span>{t('rule.notifyResolved')}</span>
      </label>
      <ChannelChoice channels={channels} value={value.channels} onChange={(c) => onChange({ ...value, channels: c })} name={name} />
    </>
  );
}
