// Top-level routes. `/admin*` and `/terminal*` are always this (the default) theme on the server
// side (themes.md §4.4); everything else is the public site.
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, matchPath, useLocation } from './lib/router.tsx';
import { DashboardPage } from './public-site/dashboard-page.tsx';

// The admin panel, the terminal and the charts are loaded on demand so the dashboard stays small.
const NodePage = lazy(() => import('./node-page/node-page.tsx'));
const AdminApp = lazy(() => import('./admin/admin-app.tsx'));
const TerminalPage = lazy(() => import('./admin/terminal/terminal-page.tsx'));

export function App() {
  const { path } = useLocation();
  return (
    <Suspense fallback={<Loading />}>
      <Route path={path} />
    </Suspense>
  );
}

function Route({ path }: { path: string }) {
  if (path === '/') return <DashboardPage />;
  const instance = matchPath('/instance/:uuid', path);
  if (instance) return <NodePage uuid={instance.uuid!} />;
  if (path === '/admin' || path.startsWith('/admin/')) return <AdminApp />;
  if (path === '/terminal') return <TerminalPage />;
  return <NotFound />;
}

function Loading() {
  const { t } = useTranslation();
  return <div className="page-loading">{t('loading')}</div>;
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <main className="not-found">
      <h1>{t('notFound')}</h1>
      <Link href="/">{t('backHome')}</Link>
    </main>
  );
}
