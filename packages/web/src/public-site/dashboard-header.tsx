// The page header: the site's name, the way into the admin panel (the username once logged in)
// and the language and appearance switches.
import { useTranslation } from 'react-i18next';
import { HeaderControls } from '../lib/header-controls.tsx';
import { Link } from '../lib/router.tsx';
import { useSession } from '../lib/session.tsx';

export function DashboardHeader() {
  const { t } = useTranslation('dashboard');
  const { me, site } = useSession();
  return (
    <header className="site-header dash-header">
      <Link href="/" className="brand" data-testid="site-name">
        {site?.sitename || t('appName', { ns: 'common' })}
      </Link>
      <div className="dash-header-end">
        <Link href="/admin" className="button" data-testid="admin-link">
          {me?.logged_in ? me.username : t('admin')}
        </Link>
        <HeaderControls />
      </div>
    </header>
  );
}
