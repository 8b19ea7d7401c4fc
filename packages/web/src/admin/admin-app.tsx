// The admin panel: the login page for guests, the menu and the current page for the admin.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, useLocation } from '../lib/router.tsx';
import { usePageTitle, useSession } from '../lib/session.tsx';
import { AdminLayout } from './shell/admin-layout.tsx';
import { LoginPage } from './shell/login-page.tsx';
import { defaultAdminPath, safeNext } from './shell/safe-next.ts';
import { takeBindReturn } from './sso/bind-return.ts';

export default function AdminApp() {
  const { t } = useTranslation();
  const { me } = useSession();
  usePageTitle(t('nav.admin'));
  const { path, query } = useLocation();
  // Komari's /admin/dashboard, where the server sends the browser after an OAuth login or a bind,
  // has no page here either
  const dashboard = path === '/admin/dashboard';
  const bare = path === '/admin' || path === '/admin/' || dashboard;
  const loggedIn = me?.logged_in === true;

  const next = query.get('next');

  useEffect(() => {
    // `/admin` itself has no page; logged out, the login form there keeps `?next=` for later.
    if (bare && loggedIn) navigate(safeNext(next, location.origin) ?? (dashboard ? takeBindReturn() : undefined) ?? defaultAdminPath, { replace: true });
  }, [bare, dashboard, loggedIn, next]);

  if (!me) return <div className="page-loading">{t('loading')}</div>;
  if (!loggedIn) return <LoginPage />;
  if (bare) return <div className="page-loading">{t('loading')}</div>;
  return <AdminLayout />;
}
