// Where the listing is: the roots (when there are several to choose from), then each folder from
// the root down, each one a link but the last.
import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router.tsx';
import type { Crumb } from './file-paths.ts';

interface Props {
  crumbs: readonly Crumb[];
  /** several roots (drives): the first step leads back to them */
  withRoots: boolean;
  hrefOf: (path: string) => string;
}

export function Breadcrumbs({ crumbs, withRoots, hrefOf }: Props) {
  const { t } = useTranslation('admin-files');
  const last = crumbs.length - 1;
  return (
    <nav aria-label={t('crumbs.label')} className="files-crumbs" data-testid="files-crumbs">
      <ol>
        {withRoots && <li>{last >= 0 ? <Link href={hrefOf('')}>{t('crumbs.roots')}</Link> : <span aria-current="page">{t('crumbs.roots')}</span>}</li>}
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
