// The history window: the five ranges Komari's users pick from, shared by load and ping charts.
import { useTranslation } from 'react-i18next';

export const ranges = [
  { hours: 1, key: 'h1' },
  { hours: 6, key: 'h6' },
  { hours: 24, key: 'h24' },
  { hours: 168, key: 'd7' },
  { hours: 720, key: 'd30' },
] as const;

export function RangePicker({ hours, onChange }: { hours: number; onChange: (hours: number) => void }) {
  const { t } = useTranslation('node');
  return (
    <div className="range-picker" role="group" aria-label={t('range.label')}>
      {ranges.map((r) => (
        <button
          key={r.hours}
          type="button"
          data-hours={r.hours}
          aria-pressed={r.hours === hours}
          className={r.hours === hours ? 'primary' : undefined}
          onClick={() => onChange(r.hours)}
        >
          {t(`range.${r.key}`)}
        </button>
      ))}
    </div>
  );
}
