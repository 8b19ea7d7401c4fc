// Admin → Themes: the installed public frontends, which one is active, installing one from a
// zip or a URL, and each theme's settings (themes.md §8).
import { useTranslation } from 'react-i18next';
import { useAsync } from '../../lib/use-async.ts';
import { errorText } from '../shared/error-text.ts';
import { ImportCard } from './import-card.tsx';
import { ThemeCard } from './theme-card.tsx';
import { activeTheme, listThemes } from './themes-api.ts';
import { UploadCard } from './upload-card.tsx';
import '../shared/tools-page.css';
import '../settings/settings.css'; // the managed form's fields
import './themes.css';

export default function ThemesPage() {
  const { t } = useTranslation('admin-themes');
  const state = useAsync(async (signal) => {
    const [themes, active] = await Promise.all([listThemes(signal), activeTheme(signal)]);
    return { themes, active };
  }, []);

  return (
    <section className="tools-page themes-page">
      <div className="tools-title">
        <h1>{t('title')}</h1>
      </div>
      <p className="muted tools-intro">{t('intro')}</p>
      <UploadCard onInstalled={state.reload} />
      <ImportCard onInstalled={state.reload} />
      <h2>{t('installed')}</h2>
      {state.error && (
        <p className="error-text" role="alert">
          {errorText(t, state.error)} <button onClick={state.reload}>{t('common:retry')}</button>
        </p>
      )}
      {!state.data && !state.error && <p className="muted">{t('common:loading')}</p>}
      {state.data && state.data.themes.length === 0 && <p className="muted">{t('none')}</p>}
      {state.data && (
        <div className="themes-grid" data-testid="themes-list" data-active={state.data.active}>
          {state.data.themes.map((theme) => (
            <ThemeCard key={theme.short} theme={theme} active={theme.short === state.data!.active} onChanged={state.reload} />
          ))}
        </div>
      )}
    </section>
  );
}
