// The full-window terminal: a slim bar (server, status, reconnect, keys, language and look) over
// xterm. A dropped socket re-attaches by itself (terminal-connection.ts); once the session is over,
// "reconnect" opens a fresh one and the old screen goes with it.
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
  /** a session id kept by this tab (a reload): re-attached first, with no code */
  requestId?: string;
  /** a wrong or stale 2FA code: back to the code prompt */
  onNeedCode?: () => void;
}

/** Ends after which only a new session helps: the old one cannot be re-attached. */
const goneReasons = new Set(['closed.refused', 'closed.expired', 'closed.notFound']);

export function TerminalScreen({ uuid, name, code, requestId, onNeedCode }: Props) {
  const { t } = useTranslation('admin-terminal');
  const [attempt, setAttempt] = useState(0);
  const [resumeId, setResumeId] = useState(requestId);
  const [ender, setEnder] = useState<() => void>();
  const [status, setStatus] = useState<TerminalStatus>('connecting');
  const [reason, setReason] = useState<CloseReason>();
  const [send, setSend] = useState<(data: string) => void>();
  const onStatus = useCallback((s: TerminalStatus, r?: CloseReason) => {
    setStatus(s);
    setReason(r);
  }, []);
  const bindInput = useCallback((fn: ((data: string) => void) | undefined) => setSend(() => fn), []);
  const bindEnd = useCallback((fn: (() => void) | undefined) => setEnder(() => fn), []);
  const gone = status === 'closed' && reason !== undefined && 'key' in reason && goneReasons.has(reason.key);
  const reconnect = () => {
    // A code is good for 30 s: a refused or expired session with 2FA on needs a fresh one, and
    // a re-attached one (a reload) never had a code.
    if (onNeedCode && (gone || !code)) return onNeedCode();
    setResumeId(undefined);
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
            {t(gone ? 'newSession' : 'reconnect')}
          </button>
        )}
        {!over && ender && (
          <button type="button" onClick={ender} data-testid="terminal-end" title={t('endHint')}>
            {t('end')}
          </button>
        )}
        <a className="button" href={`/admin/files/${encodeURIComponent(uuid)}`} target="_blank" rel="noopener" data-testid="terminal-files">
          {t('files')}
        </a>
        <SavedCommandsMenu send={over ? undefined : send} />
        <KeyBar send={over ? undefined : send} />
        <HeaderControls />
      </header>
      <TerminalView key={attempt} uuid={uuid} code={code} requestId={resumeId} events={{ status: onStatus }} bindInput={bindInput} bindEnd={bindEnd} />
    </div>
  );
}
