// A theme's settings panel by configuration type (themes.md §3): the managed form, the package's
// own page (raw), or a link to the in-site page it names (redirect).
import type { ThemeManifest } from '@komari-ts/protocol/theme';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { localized } from './localized.ts';
import { ManagedForm } from './managed-form.tsx';
import { managedItems } from './managed-values.ts';
import { redirectPath } from './redirect-path.ts';

export function ThemeConfiguration({ theme }: { theme: ThemeManifest }) {
  const { t, i18n } = useTranslation('admin-themes');
  const config = theme.configuration;
  const kind = (config.type || 'managed').trim().toLowerCase();
  const items = useMemo(() => managedItems(config.data), [config.data]);
  const title = localized(config.name, i18n.language) || localized(theme.name, i18n.language) || theme.short;

  if (kind === 'raw') {
    return (
      <section className="theme-settings" aria-label={title}>
        <h3>{title}</h3>
        {/* The package's own HTML, trusted no further than the package: scripts may run, but in an
            opaque origin (no allow-same-origin), so they can neither read the admin's cookies nor
            call the admin API with them. */}
        <iframe className="theme-raw-frame" title={title} sandbox="allow-scripts allow-forms" srcDoc={typeof config.data === 'string' ? config.data : ''} data-testid="theme-raw-frame" />
      </section>
    );
  }
  if (kind === 'redirect') {
    const path = redirectPath(config.data);
    return (
      <section className="theme-settings" aria-label={title}>
        <h3>{title}</h3>
        {path ? (
          <p>
            {t('settings.redirect')}{' '}
            <a href={path} data-testid="theme-redirect-link">
              {path}
            </a>
          </p>
        ) : (
          <p className="error-text">{t('settings.badRedirect')}</p>
        )}
      </section>
    );
  }
  return (
    <section className="theme-settings" aria-label={title}>
      <h3>{title}</h3>
      <ManagedForm short={theme.short} items={items} />
    </section>
  );
}
