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
                  <span className="unit-input">
                    <input
                      type="number"
                      min="1"
                      aria-label={t('retention.interval')}
                      name="interval"
                      value={r.interval}
                      onChange={(e) => update(r.id, { interval: e.target.value })}
                    />
                    <select aria-label={t('retention.unit')} name="intervalUnit" value={r.intervalUnit} onChange={(e) => update(r.id, { intervalUnit: e.target.value as IntervalUnit })}>
                      {Object.keys(intervalUnits).map((u) => (
                        <option key={u} value={u}>
                          {t(`units.${u}`)}
                        </option>
                      ))}
                    </select>
                  </span>
                </td>
                <td>
                  <span className="unit-input">
                    <input type="number" min="0" step="any" aria-label={t('retention.keep')} name="keep" value={r.keep} onChange={(e) => update(r.id, { keep: e.target.value })} />
                    <select aria-label={t('retention.unit')} name="keepUnit" value={r.keepUnit} onChange={(e) => update(r.id, { keepUnit: e.target.value as KeepUnit })}>
                      {Object.keys(keepUnits).map((u) => (
                        <option key={u} value={u}>
                          {t(`units.${u}`)}
                        </option>
                      ))}
                    </select>
                  </span>
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
