// The full-window terminal: a slim bar (server, status, reconnect, keys, language and look) over
// xterm. Each reconnect is a fresh session; the old screen goes with it.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HeaderControls } from '../../lib/header-controls.tsx';
import { SavedCommandsMenu } from '../clipboard/saved-commands-menu.tsx';
import { KeyBar } from './key-bar.tsx';
import type { CloseReason, TerminalStatus } from './terminal-connection.ts';
import { TerminalView } from './terminal-view.tsx';

interface Props {
  uuid: string;
  name: string;
  code: string;
  /** a wrong or stale 2FA code: back to the code prompt */
  onNeedCode?: () => void;
}

export function TerminalScreen({ uuid, name, code, onNeedCode }: Props) {
  const { t } = useTranslation('admin-terminal');
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<TerminalStatus>('connecting');
  const [reason, setReason] = useState<CloseReason>();
  const [send, setSend] = useState<(data: string) => void>();
  const onStatus = useCallback((s: TerminalStatus, r?: CloseReason) => {
    setStatus(s);
    setReason(r);
  }, []);
  const bindInput = useCallback((fn: ((data: string) => void) | undefined) => setSend(() => fn), []);
  const reconnect = () => {
    // A code is good for 30 s: a refused reconnect with 2FA on most likely needs a fresh one.
    if (onNeedCode && status === 'closed' && reason && 'key' in reason && reason.key === 'closed.refused') return onNeedCode();
    setStatus('connecting');
    setReason(undefined);
    setAttempt((n) => n + 1);
  };
  const over = status === 'closed' || status === 'offline';

  return (
    <div className="terminal-page">
      <header className="terminal-bar">
        <strong className="terminal-name" title={uuid}>
          {name}
        </strong>
        <span className={`terminal-status terminal-${status}`} role="status" data-testid="terminal-status" data-status={status}>
          {t(`status.${status}`)}
          {reason && <span className="terminal-reason">{'key' in reason ? t(reason.key) : reason.text}</span>}
        </span>
        {over && (
          <button type="button" className="primary" onClick={reconnect} data-testid="terminal-reconnect">
            {t('reconnect')}
          </button>
        )}
        <a className="button" href={`/admin/files/${encodeURIComponent(uuid)}`} target="_blank" rel="noopener" data-testid="terminal-files">
          {t('files')}
        </a>
        <SavedCommandsMenu send={over ? undefined : send} />
        <KeyBar send={over ? undefined : send} />
        <HeaderControls />
      </header>
      <TerminalView key={attempt} uuid={uuid} code={code} events={{ status: onStatus }} bindInput={bindInput} />
    </div>
  );
}
