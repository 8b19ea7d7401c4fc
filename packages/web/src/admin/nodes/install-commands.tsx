// The ways to start an agent for a node: Komari's official agent installer and komari-ts's own
// install line (served by this server, /api/agent/install.sh; curl or wget), each with a copy button.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { copyText } from './clipboard.ts';
import { DisableRemoteCheckbox, remoteFlag } from '../remote-control/install-flag.tsx';

/** `disableRemote` adds --disable-web-ssh, which both agents take: the host refuses remote control. */
export function installCommands(origin: string, token: string, disableRemote = false): { id: string; command: string }[] {
  const flag = remoteFlag(disableRemote);
  return [
    {
      id: 'official',
      command: `bash <(curl -sL https://raw.githubusercontent.com/komari-monitor/komari-agent/refs/heads/main/install.sh) -e ${origin} -t ${token}${flag}`,
    },
    { id: 'ts', command: `curl -fsSL ${origin}/api/agent/install.sh | sh -s -- -e ${origin} -t ${token}${flag}` },
    { id: 'tsWget', command: `wget -qO- ${origin}/api/agent/install.sh | sh -s -- -e ${origin} -t ${token}${flag}` },
  ];
}

export function InstallCommands({ token }: { token: string }) {
  const { t } = useTranslation('admin-nodes');
  const [copied, setCopied] = useState<string>();
  const [failed, setFailed] = useState(false);
  const [disableRemote, setDisableRemote] = useState(false);
  const copy = async (id: string, command: string) => {
    try {
      await copyText(command);
      setFailed(false);
      setCopied(id);
    } catch {
      setFailed(true);
    }
  };
  return (
    <div className="install-commands">
      <label>
        <span>{t('install.token')}</span>
        <input readOnly value={token} data-testid="node-token" onFocus={(e) => e.target.select()} />
      </label>
      <DisableRemoteCheckbox checked={disableRemote} onChange={setDisableRemote} />
      {installCommands(location.origin, token, disableRemote).map(({ id, command }) => (
        <div key={id} className="install-command" data-testid={`install-${id}`}>
          <div className="install-command-head">
            <span>{t(`install.${id}`)}</span>
            <button type="button" onClick={() => void copy(id, command)} data-testid={`copy-${id}`}>
              {copied === id ? t('install.copied') : t('install.copy')}
            </button>
          </div>
          <code>{command}</code>
        </div>
      ))}
      <p className="muted install-hint">{t('install.tsHint')}</p>
      {failed && <p className="error-text" role="alert">{t('install.copyFailed')}</p>}
    </div>
  );
}
