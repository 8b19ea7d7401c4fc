// A manifest as the server answered it (an upload's merge, an import's preview): what would be
// or was installed, in the admin's language.
import type { ThemeManifest } from '@komari-ts/protocol/theme';
import { useTranslation } from 'react-i18next';
import { localized } from './localized.ts';

export function ManifestView({ manifest, testId }: { manifest: ThemeManifest; testId?: string }) {
  const { t, i18n } = useTranslation('admin-themes');
  const text = (v: Parameters<typeof localized>[0]) => localized(v, i18n.language) || '—';
  const kind = (manifest.configuration.type || 'managed').trim().toLowerCase();
  return (
    <dl className="theme-manifest" data-testid={testId}>
      <dt>{t('manifest.name')}</dt>
      <dd>{text(manifest.name)}</dd>
      <dt>{t('manifest.short')}</dt>
      <dd className="tools-mono">{manifest.short}</dd>
      <dt>{t('manifest.version')}</dt>
      <dd>{manifest.version || '—'}</dd>
      <dt>{t('manifest.author')}</dt>
      <dd>{text(manifest.author)}</dd>
      <dt>{t('manifest.description')}</dt>
      <dd>{text(manifest.description)}</dd>
      <dt>{t('manifest.configuration')}</dt>
      <dd>{t(`manifest.kinds.${kind === 'raw' || kind === 'redirect' ? kind : 'managed'}`)}</dd>
    </dl>
  );
}
