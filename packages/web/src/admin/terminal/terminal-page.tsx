// /terminal?uuid=<node>: a web shell on one server, in its own window. Outside the admin frame,
// so it checks the login itself, names the server, and asks for the 2FA code first when the
// account has 2FA (opening a terminal is a sensitive action, auth.md §7).
import type { NodeWire } from '@komari-ts/protocol';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, apiGet } from '../../lib/api.ts';
import { HeaderControls } from '../../lib/header-controls.tsx';
import { Link, useLocation } from '../../lib/router.tsx';
import { usePageTitle, useSession } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { TerminalScreen } from './terminal-screen.tsx';
import { loadRequestId, tabStorage } from './terminal-session-id.ts';
import './terminal.css';
import { MessageLine } from '../../lib/message-line.tsx';

export default function TerminalPage() {
  const { t } = useTranslation('admin-terminal');
  const { me } = useSession();
  const { query } = useLocation();
  const uuid = query.get('uuid') ?? '';
  const loggedIn = me?.logged_in === true;
  const node = useAsync((signal) => (loggedIn && uuid ? apiGet<NodeWire>(`/api/admin/client/${encodeURIComponent(uuid)}`, signal) : Promise.resolve(undefined)), [uuid, loggedIn]);
  const [code, setCode] = useState<string>();
  // A reload of this tab re-attaches to the session it had on this node (no 2FA code: the server
  // gives a session back to its opener only); the id is kept per node, so another node's page
  // never offers it.
  const [resume, setResume] = useState(() => ({ uuid, id: loadRequestId(tabStorage(), uuid) }));
  const resumeId = resume.uuid === uuid ? resume.id : undefined;
  const needsCode = me?.['2fa_enabled'] === true;
  const askCode = () => {
    setResume({ uuid, id: undefined });
    setCode(undefined);
  };

  usePageTitle(node.data?.name ? t('windowTitle', { name: node.data.name }) : t('title'));

  if (!me || (loggedIn && uuid && node.loading)) return <Notice>{t('common:loading')}</Notice>;
  if (!loggedIn) {
    const next = encodeURIComponent(`/terminal?uuid=${uuid}`);
    return (
      <Notice>
        <p>{t('loginFirst')}</p>
        <a className="button primary" href={`/admin?next=${next}`}>
          {t('common:nav.login')}
        </a>
      </Notice>
    );
  }
  if (!uuid) return <Notice>{t('noServer')}</Notice>;
  if (node.error || !node.data) return <Notice>{isNotFound(node.error) ? t('notFound') : errorText(t, node.error)}</Notice>;
  if (needsCode && code === undefined && !resumeId) return <CodePrompt name={node.data.name} onCode={setCode} />;
  return <TerminalScreen key={code} uuid={uuid} name={node.data.name} code={code ?? ''} requestId={resumeId} onNeedCode={needsCode ? askCode : undefined} />;
}

/** Komari answers an unknown uuid with "record not found" (500); this server with 404. */
function isNotFound(err: Error | undefined): boolean {
  return !err || (err instanceof ApiError && (err.status === 404 || err.message.includes('not found')));
}

function Notice({ children }: { children: ReactNode }) {
  const { t } = useTranslation('admin-terminal');
  const { site } = useSession();
  return (
    <div className="terminal-notice-page">
      <header className="site-header">
        <Link href="/admin" className="brand">
          {site?.sitename || t('common:appName')}
        </Link>
        <HeaderControls />
      </header>
      <main className="card terminal-notice" data-testid="terminal-notice">
        {children}
      </main>
    </div>
  );
}

function CodePrompt({ name, onCode }: { name: string; onCode: (code: string) => void }) {
  const { t } = useTranslation('admin-terminal');
  const [value, setValue] = useState('');
  const [error, setError] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(value.trim())) return setError(t('code.invalid'));
    onCode(value.trim());
  };
  return (
    <Notice>
      <form onSubmit={submit}>
        <h1>{t('code.title', { name })}</h1>
        <p className="muted">{t('code.hint')}</p>
        <label>
          <span>{t('code.label')}</span>
          <input name="2fa_code" inputMode="numeric" autoComplete="one-time-code" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <MessageLine text={error} />
        <button type="submit" className="primary">
          {t('code.connect')}
        </button>
      </form>
    </Notice>
  );
}
