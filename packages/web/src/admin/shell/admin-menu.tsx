// The admin menu: one link per page of adminRoutes, the current one marked.
import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router.tsx';
import { adminRoutes } from '../admin-routes.tsx';

export function AdminMenu({ path, onNavigate }: { path: string; onNavigate: () => void }) {
  const { t } = useTranslation('admin');
  return (
    <nav className="admin-menu" aria-label={t('nav.label')}>
      <ul>
        {adminRoutes.map((r) => {
          const current = path === r.path || path.startsWith(r.path + '/');
          return (
            <li key={r.path}>
              <Link href={r.path} aria-current={current ? 'page' : undefined} className={current ? 'current' : undefined} onClick={onNavigate}>
                {t(r.labelKey)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
