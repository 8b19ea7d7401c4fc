// The history tiers as an editable table: how wide each bucket is and how long it is kept.
import { useTranslation } from 'react-i18next';
import { blankRow, intervalUnits, keepUnits, type IntervalUnit, type KeepUnit, type TierRow } from './retention-units.ts';

export function RetentionEditor({ rows, onChange }: { rows: TierRow[]; onChange: (rows: TierRow[]) => void }) {
  const { t } = useTranslation('admin-settings');
  const update = (id: number, patch: Partial<TierRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <div className="retention-editor" data-testid="retention-editor">
      <div className="table-scroll">
        <table className="grid">
          <thead>
            <tr>
              <th>{t('retention.tier')}</th>
              <th>{t('retention.interval')}</th>
              <th>{t('retention.keep')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.id} data-testid="retention-row">
                <td>{i + 1}</td>
                <td>
                  <UnitInput
                    label={t('retention.interval')}
                    name="interval"
                    min="1"
                    value={r.interval}
                    onValue={(interval) => update(r.id, { interval })}
                    unit={r.intervalUnit}
                    units={Object.keys(intervalUnits)}
                    onUnit={(u) => update(r.id, { intervalUnit: u as IntervalUnit })}
                  />
                </td>
                <td>
                  <UnitInput
                    label={t('retention.keep')}
                    name="keep"
                    min="0"
                    step="any"
                    value={r.keep}
                    onValue={(keep) => update(r.id, { keep })}
                    unit={r.keepUnit}
                    units={Object.keys(keepUnits)}
                    onUnit={(u) => update(r.id, { keepUnit: u as KeepUnit })}
                  />
                </td>
                <td>
                  <button type="button" className="danger" disabled={rows.length === 1} onClick={() => onChange(rows.filter((x) => x.id !== r.id))}>
                    {t('retention.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="retention-add" onClick={() => onChange([...rows, blankRow()])}>
        {t('retention.add')}
      </button>
      <p className="muted settings-hint">{t('retention.hint')}</p>
    </div>
  );
}

interface UnitInputProps {
  label: string;
  /** the number's form name; its unit is `<name>Unit` */
  name: string;
  min: string;
  step?: string;
  value: string;
  onValue: (value: string) => void;
  unit: string;
  units: string[];
  onUnit: (unit: string) => void;
}

/** A number and its unit, side by side. */
function UnitInput({ label, name, min, step, value, onValue, unit, units, onUnit }: UnitInputProps) {
  const { t } = useTranslation('admin-settings');
  return (
    <span className="unit-input">
      <input type="number" min={min} step={step} aria-label={label} name={name} value={value} onChange={(e) => onValue(e.target.value)} />
      <select aria-label={t('retention.unit')} name={`${name}Unit`} value={unit} onChange={(e) => onUnit(e.target.value)}>
        {units.map((u) => (
          <option key={u} value={u}>
            {t(`units.${u}`)}
          </option>
        ))}
      </select>
    </span>
  );
}
