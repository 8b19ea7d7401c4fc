// Where the listing is: the roots, then each folder from the root down, each one a link but the last.
import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router.tsx';
import type { Crumb } from './file-paths.ts';

export function Breadcrumbs({ crumbs, hrefOf }: { crumbs: readonly Crumb[]; hrefOf: (path: string) => string }) {
  const { t } = useTranslation('admin-files');
  const last = crumbs.length - 1;
  return (
    <nav aria-label={t('crumbs.label')} className="files-crumbs" data-testid="files-crumbs">
      <ol>
        <li>{last >= 0 ? <Link href={hrefOf('')}>{t('crumbs.roots')}</Link> : <span aria-current="page">{t('crumbs.roots')}</span>}</li>
        {crumbs.map((c, i) => (
          <li key={c.path}>
            {i === last ? (
              <span aria-current="page">{c.label}</span>
            ) : (
              <Link href={hrefOf(c.path)} data-testid="files-crumb">
                {c.label}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
