// One row per signed-in browser: what it is, where from, when last seen; this browser marked.
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../logs/time-text.ts';
import type { SessionRow } from './sessions-api.ts';
import { deviceOf } from './user-agent.ts';

interface Props {
  sessions: readonly SessionRow[];
  current: string;
  busy: boolean;
  onRevoke: (s: SessionRow) => void;
}

export function SessionsTable({ sessions, current, busy, onRevoke }: Props) {
  const { t, i18n } = useTranslation('admin-account');
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  return (
    <div className="table-scroll">
      <table className="grid tools-stack" data-testid="sessions-table">
        <thead>
          <tr>
            <th>{t('sessions.columns.device')}</th>
            <th>{t('sessions.columns.ip')}</th>
            <th>{t('sessions.columns.lastSeen')}</th>
            <th>{t('sessions.columns.signedIn')}</th>
            <th>{t('sessions.columns.method')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => {
            const mine = s.session === current;
            const ua = s.latest_user_agent || s.user_agent;
            const { browser, system } = deviceOf(ua);
            const device = browser && system ? t('sessions.device', { browser, system }) : browser || system || t('sessions.unknownDevice');
            return (
              <tr key={s.session} className={mine ? 'session-current' : undefined} data-current={mine || undefined}>
                <td className="tools-stack-main" title={ua}>
                  {device}
                  {mine && <span className="session-badge">{t('sessions.thisDevice')}</span>}
                </td>
                <td className="tools-mono tools-stack-meta" title={s.ip !== s.latest_ip ? t('sessions.firstIp', { ip: s.ip }) : undefined}>
                  {s.latest_ip || s.ip}
                </td>
                <td className="tools-stack-meta" title={t('sessions.columns.lastSeen')}>
                  {when(s.latest_online)}
                </td>
                <td className="tools-stack-meta session-signed-in">{when(s.created_at)}</td>
                <td className="tools-stack-meta">{t(`sessions.method.${s.login_method === 'oauth' ? 'oauth' : 'password'}`)}</td>
                <td className="tools-stack-end">
                  <div className="tools-row-actions">
                    <button type="button" className="danger" disabled={busy} onClick={() => onRevoke(s)}>
                      {mine ? t('sessions.logOutHere') : t('sessions.revoke')}
                    </button>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
