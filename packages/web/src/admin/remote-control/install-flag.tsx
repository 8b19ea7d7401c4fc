// The install dialog's "Disable remote control on this host": the agent flag both agents take.
import { useTranslation } from 'react-i18next';
import './remote-control.css';

export const disableRemoteFlag = '--disable-web-ssh';

export function remoteFlag(disable: boolean): string {
  return disable ? ` ${disableRemoteFlag}` : '';
}

export function DisableRemoteCheckbox({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  const { t } = useTranslation('admin-remote-control');
  return (
    <div>
      <label className="install-remote-off">
        <input type="checkbox" name="disable_remote_control" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid="install-disable-remote" />
        <span>{t('install.disable')}</span>
      </label>
      <small className="muted">{t('install.disableHint')}</small>
    </div>
  );
}
