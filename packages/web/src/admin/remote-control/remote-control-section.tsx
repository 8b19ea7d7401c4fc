// Settings → "Remote control": the three server-wide switches (remote_*_enabled). A node's own
// override, set in its edit dialog, beats them.
import { useTranslation } from 'react-i18next';
import { Switch } from '../settings/settings-fields.tsx';
import { remoteSwitchKeys, type RemoteSwitchKey } from './remote-kinds.ts';

export function RemoteControlSection({ values, onChange }: { values: Partial<Record<RemoteSwitchKey, boolean>>; onChange: (key: RemoteSwitchKey, value: boolean) => void }) {
  const { t } = useTranslation('admin-remote-control');
  // an older server without these settings shows no section rather than switches that do nothing
  if (remoteSwitchKeys.every((k) => values[k] === undefined)) return null;
  return (
    <section className="card settings-section" data-testid="remote-control-settings">
      <h2>{t('settings.title')}</h2>
      <p className="muted settings-hint">{t('settings.intro')}</p>
      {remoteSwitchKeys.map(
        (k) => values[k] !== undefined && <Switch key={k} name={k} label={t(`settings.fields.${k}`)} hint={t(`settings.hints.${k}`)} checked={values[k]} onChange={(v) => onChange(k, v)} />,
      )}
    </section>
  );
}
