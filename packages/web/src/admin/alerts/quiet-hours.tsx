// Quiet hours: one daily window (server local time; start after end wraps midnight) in which
// notices wait, then go out as one summary, or are dropped. Off = setting `alert_quiet_hours` null.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuietWindowWire } from '@komari-ts/protocol';
import { MessageLine } from '../../lib/message-line.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { Switch } from '../settings/settings-fields.tsx';
import { loadAlertSettings, saveAlertSettings } from './alerts-api.ts';
import { LoadFailed } from './load-failed.tsx';

const hhmm = /^([01]\d|2[0-3]):[0-5]\d$/;
const fallback: QuietWindowWire = { start: '23:00', end: '07:00', after: 'summary' };

export function QuietHours() {
  const { t } = useTranslation('admin-alerts');
  const settings = useAsync((signal) => loadAlertSettings(signal), []);
  const [on, setOn] = useState(false);
  const [win, setWin] = useState<QuietWindowWire>(fallback);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const stored = settings.data?.alert_quiet_hours;
    setOn(!!stored);
    if (stored) setWin(stored);
  }, [settings.data]);

  if (settings.error) return <LoadFailed error={settings.error} retry={settings.reload} />;
  if (!settings.data) return <p className="muted">{t('common:loading')}</p>;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (on && (!hhmm.test(win.start) || !hhmm.test(win.end))) return setStatus({ kind: 'error', text: t('quiet.errors.time') });
    if (on && win.start === win.end) return setStatus({ kind: 'error', text: t('quiet.errors.same') });
    setBusy(true);
    setStatus(undefined);
    try {
      await saveAlertSettings({ alert_quiet_hours: on ? win : null });
      setStatus({ kind: 'ok', text: t('saved') });
      settings.reload();
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(t, err) });
    } finally {
      setBusy(false);
    }
  };
  const change = (patch: Partial<QuietWindowWire>) => (setWin({ ...win, ...patch }), setStatus(undefined));

  return (
    <form className="card settings-section alerts-quiet" onSubmit={(e) => void save(e)} noValidate data-testid="quiet-hours">
      <h2>{t('quiet.title')}</h2>
      <p className="muted alerts-text">{t('quiet.intro')}</p>
      <Switch name="quiet-on" label={t('quiet.on')} hint={t('quiet.onHint')} checked={on} onChange={(v) => (setOn(v), setStatus(undefined))} />
      <fieldset className="alerts-quiet-window" disabled={!on}>
        <div className="alerts-form-row">
          <label className="settings-field">
            <span>{t('quiet.start')}</span>
            <input type="time" name="quiet-start" value={win.start} onChange={(e) => change({ start: e.target.value })} />
          </label>
          <label className="settings-field">
            <span>{t('quiet.end')}</span>
            <input type="time" name="quiet-end" value={win.end} onChange={(e) => change({ end: e.target.value })} />
          </label>
          <label className="settings-field">
            <span>{t('quiet.after')}</span>
            <select name="quiet-after" value={win.after} onChange={(e) => change({ after: e.target.value === 'drop' ? 'drop' : 'summary' })}>
              <option value="summary">{t('quiet.afterSummary')}</option>
              <option value="drop">{t('quiet.afterDrop')}</option>
            </select>
          </label>
        </div>
        <small className="muted settings-hint">{t('quiet.timeHint')}</small>
      </fieldset>
      <div className="tools-actions alerts-actions">
        <MessageLine text={status?.text} kind={status?.kind} testId="quiet-status" />
        <button type="submit" className="primary" disabled={busy}>
          {t('common:save')}
        </button>
      </div>
    </form>
  );
}
