// The logged-in frame: a header (site, dashboard link, user, logout, language/appearance), the
// menu (a drawer behind a toggle on narrow screens) and the current page, loaded on demand.
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HeaderControls } from '../../lib/header-controls.tsx';
import { Link, useLocation } from '../../lib/router.tsx';
import { useSession } from '../../lib/session.tsx';
import { adminRoutes } from '../admin-routes.tsx';
import { AdminMenu } from './admin-menu.tsx';
import './admin-shell.css';

export function AdminLayout() {
  const { t } = useTranslation('admin');
  const { me, site, refresh } = useSession();
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const route = adminRoutes.find((r) => path === r.path || path.startsWith(r.path + '/'));
  const Page = route?.page;

  const logout = async () => {
    // The server answers 302 → /; the cookie is cleared either way, so only the session matters.
    await fetch('/api/logout', { credentials: 'same-origin', redirect: 'manual' }).catch(() => undefined);
    await refresh();
  };

  return (
    <div className={menuOpen ? 'admin-shell menu-open' : 'admin-shell'}>
      <header className="site-header admin-header">
        <div className="admin-header-start">
          <button
            type="button"
            className="admin-menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="admin-sidebar"
            data-testid="menu-toggle"
            onClick={() => setMenuOpen((o) => !o)}
          >
            <span aria-hidden="true">☰</span>
            <span className="visually-hidden">{t('nav.toggle')}</span>
          </button>
          <span className="brand">{site?.sitename || t('common:appName')}</span>
          <span className="admin-badge">{t('common:nav.admin')}</span>
        </div>
        <div className="admin-header-end">
          <Link href="/" className="admin-dashboard-link">
            {t('common:nav.dashboard')}
          </Link>
          <span className="muted admin-user" title={t('header.signedInAs')}>
            {me?.username}
          </span>
          <button type="button" onClick={() => void logout()} data-testid="logout">
            {t('common:nav.logout')}
          </button>
          <HeaderControls />
        </div>
      </header>
      <div className="admin-body">
        <aside id="admin-sidebar" className="admin-sidebar">
          <AdminMenu path={path} onNavigate={() => setMenuOpen(false)} />
        </aside>
        <main className="admin-main">
          {Page ? (
            <Suspense fallback={<div className="page-loading">{t('common:loading')}</div>}>
              <Page />
            </Suspense>
          ) : (
            <div className="not-found">
              <h1>{t('common:notFound')}</h1>
              <Link href="/admin/nodes">{t('nav.nodes')}</Link>
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
