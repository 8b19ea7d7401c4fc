// Shown instead of the nodes when the site is private and the visitor is not logged in
// (public-api.md §1.4): nothing about the nodes is loaded, only the way to log in.
import { useTranslation } from 'react-i18next';
import { Link } from '../lib/router.tsx';

/** `next`: where the login brings the visitor back to. */
export function PrivatePrompt({ next = '/' }: { next?: string }) {
  const { t } = useTranslation('dashboard');
  return (
    <section className="card dash-private" data-testid="private-site">
      <h1>{t('private.title')}</h1>
      <p className="muted">{t('private.body')}</p>
      <Link href={`/admin?next=${encodeURIComponent(next)}`} className="button primary" data-testid="private-login">
        {t('private.login')}
      </Link>
    </section>
  );
}
