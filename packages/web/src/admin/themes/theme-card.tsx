// One installed theme: its preview, name, author, version and description in the admin's
// language, whether it is the active one, and what can be done with it.
import type { ThemeManifest } from '@komari-ts/protocol/theme';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageLine } from '../../lib/message-line.tsx';
import { ConfirmDialog } from '../shared/confirm-dialog.tsx';
import { errorText } from '../shared/error-text.ts';
import { localized } from './localized.ts';
import { ThemeConfiguration } from './theme-configuration.tsx';
import { defaultTheme, deleteTheme, setActiveTheme, themeFileUrl, updateTheme } from './themes-api.ts';

interface Props {
  theme: ThemeManifest;
  active: boolean;
  /** the list or the active theme changed on the server */
  onChanged: () => void;
}

export function ThemeCard({ theme, active, onChanged }: Props) {
  const { t, i18n } = useTranslation('admin-themes');
  const lang = i18n.language;
  const [asking, setAsking] = useState(false);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const name = localized(theme.name, lang) || theme.short;
  const author = localized(theme.author, lang);
  const description = localized(theme.description, lang);
  const isDefault = theme.short === defaultTheme;

  const run = async (step: () => Promise<string>) => {
    setBusy(true);
    setStatus(undefined);
    try {
      setStatus({ kind: 'ok', text: await step() });
      onChanged();
    } catch (err) {
      setStatus({ kind: 'error', text: errorText(t, err) });
    } finally {
      setBusy(false);
    }
  };
  const activate = () => void run(async () => (await setActiveTheme(theme.short), t('card.activated', { name })));
  const update = () => void run(async () => (await updateTheme(theme.short)).message || t('card.updated'));
  const remove = async () => {
    await deleteTheme(theme.short);
    setAsking(false);
    onChanged();
  };

  return (
    <article className={['card theme-card', active && 'active', open && 'open'].filter(Boolean).join(' ')} data-testid={`theme-${theme.short}`} data-active={active}>
      {theme.preview ? (
        <img className="theme-preview" src={themeFileUrl(theme.short, theme.preview)} alt={t('card.previewOf', { name })} loading="lazy" />
      ) : (
        <div className="theme-preview theme-preview-none muted">{t('card.noPreview')}</div>
      )}
      <div className="theme-card-body">
        <h3>
          {name} {active && <span className="theme-badge">{t('card.active')}</span>}
        </h3>
        <p className="muted theme-meta">
          <span className="tools-mono">{theme.short}</span>
          {theme.version && <span>{t('card.version', { version: theme.version })}</span>}
          {author && <span>{t('card.author', { author })}</span>}
        </p>
        {description && <p className="theme-description">{description}</p>}
        {theme.url && /^https?:\/\//i.test(theme.url) && (
          <a href={theme.url} target="_blank" rel="noopener noreferrer">
            {t('card.project')}
          </a>
        )}
      </div>
      <div className="tools-actions theme-actions">
        {!active && (
          <button type="button" className="primary" disabled={busy} onClick={activate} data-testid={`theme-${theme.short}-activate`}>
            {t('card.activate')}
          </button>
        )}
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid={`theme-${theme.short}-settings`}>
          {open ? t('card.hideSettings') : t('card.settings')}
        </button>
        {!isDefault && theme.url && (
          <button type="button" disabled={busy} onClick={update} data-testid={`theme-${theme.short}-update`}>
            {t('card.update')}
          </button>
        )}
        {!isDefault && (
          <button type="button" className="danger" disabled={busy} onClick={() => setAsking(true)} data-testid={`theme-${theme.short}-delete`}>
            {t('common:delete')}
          </button>
        )}
      </div>
      <MessageLine text={status?.text} kind={status?.kind} testId={`theme-${theme.short}-status`} />
      {open && <ThemeConfiguration theme={theme} />}
      {asking && (
        <ConfirmDialog title={t('delete.title')} label={t('delete.button')} action={remove} onClose={() => setAsking(false)} testId="theme-delete">
          <p>{t('delete.question', { name, short: theme.short })}</p>
          {active && <p className="error-text">{t('delete.active')}</p>}
          <p className="muted">{t('delete.copy')}</p>
        </ConfirmDialog>
      )}
    </article>
  );
}
