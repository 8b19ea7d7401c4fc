// Admin → Sessions: every browser signed in to this account, and ending them. Ending our own
// session (alone or with all the others) logs this browser out: the admin frame then shows the
// login form.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { listSessions, revokeAllSessions, revokeSession, type SessionRow } from './sessions-api.ts';
import { SessionsTable } from './sessions-table.tsx';
import '../shared/tools-page.css';
import './sessions.css';
import { MessageLine } from '../../lib/message-line.tsx';

export default function SessionsPage() {
  const { t } = useTranslation('admin-account');
  const { refresh } = useSession();
  const list = useAsync((signal) => listSessions(signal), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [confirmAll, setConfirmAll] = useState(false);

  const act = async (work: () => Promise<unknown>, endsMine: boolean) => {
    setBusy(true);
    setError('');
    try {
      await work();
      if (endsMine) await refresh();
      else list.reload();
    } catch (err) {
      setError(errorText(t, err));
    } finally {
      setBusy(false);
      setConfirmAll(false);
    }
  };
  const current = list.data?.current ?? '';
  const others = list.data?.sessions.filter((s) => s.session !== current) ?? [];
  const revoke = (s: SessionRow) => void act(() => revokeSession(s.session), s.session === current);
  const revokeOthers = () => void act(() => Promise.all(others.map((s) => revokeSession(s.session))), false);

  return (
    <section className="tools-page sessions-page">
      <div className="tools-title">
        <h1>{t('sessions.title')}</h1>
        <div className="tools-actions">
          {others.length > 0 && (
            <button type="button" disabled={busy} onClick={revokeOthers} data-testid="revoke-others">
              {t('sessions.revokeOthers', { count: others.length })}
            </button>
          )}
          {confirmAll ? (
            <>
              <button type="button" className="danger" disabled={busy} onClick={() => void act(revokeAllSessions, true)} data-testid="revoke-all-confirm">
                {t('sessions.revokeAllConfirm')}
              </button>
              <button type="button" onClick={() => setConfirmAll(false)}>
                {t('common:cancel')}
              </button>
            </>
          ) : (
            <button type="button" className="danger" disabled={busy || !list.data} onClick={() => setConfirmAll(true)} data-testid="revoke-all">
              {t('sessions.revokeAll')}
            </button>
          )}
        </div>
      </div>
      <p className="muted tools-intro">{t('sessions.intro')}</p>
      <MessageLine text={error} />
      {list.error ? (
        <p className="error-text" role="alert">
          {errorText(t, list.error)}{' '}
          <button type="button" onClick={list.reload}>
            {t('common:retry')}
          </button>
        </p>
      ) : list.data ? (
        <SessionsTable sessions={list.data.sessions} current={current} busy={busy} onRevoke={revoke} />
      ) : (
        <p className="muted">{t('common:loading')}</p>
      )}
    </section>
  );
}
