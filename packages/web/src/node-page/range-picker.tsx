// The window the charts show: live (the last minutes, updating every second), or one of the five
// history ranges Komari's users pick from, shared by load and ping charts.
import { useTranslation } from 'react-i18next';

/** `live`, or a history window in hours */
export type RangeChoice = 'live' | number;

export const ranges = [
  { hours: 1, key: 'h1' },
  { hours: 6, key: 'h6' },
  { hours: 24, key: 'h24' },
  { hours: 168, key: 'd7' },
  { hours: 720, key: 'd30' },
] as const;

export function isRangeChoice(v: unknown): v is RangeChoice {
  return v === 'live' || ranges.some((r) => r.hours === v);
}

export function RangePicker({ range, onChange }: { range: RangeChoice; onChange: (range: RangeChoice) => void }) {
  const { t } = useTranslation('node');
  const button = (value: RangeChoice, label: string) => (
    <button
      key={value}
      type="button"
      data-range={value}
      data-hours={value === 'live' ? undefined : value}
      aria-pressed={value === range}
      className={value === range ? 'primary' : undefined}
      onClick={() => onChange(value)}
    >
      {label}
    </button>
  );
  return (
    <div className="range-picker" role="group" aria-label={t('range.label')}>
      {button('live', t('range.live'))}
      {ranges.map((r) => button(r.hours, t(`range.${r.key}`)))}
    </div>
  );
}
