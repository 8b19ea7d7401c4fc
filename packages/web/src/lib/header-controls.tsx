// The language and appearance switches every page header carries.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage, type Language } from '../i18n/index.ts';
import { applyAppearance, savedAppearance, type Appearance } from './appearance.ts';

const languageNames: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

export function HeaderControls() {
  const { t, i18n } = useTranslation();
  const [appearance, setAppearance] = useState<Appearance>(savedAppearance());
  return (
    <div className="header-controls">
      <select aria-label={t('language')} data-testid="language-switch" value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
        {languages.map((l) => (
          <option key={l} value={l}>
            {languageNames[l]}
          </option>
        ))}
      </select>
      <select
        aria-label={t('appearance.label')}
        data-testid="appearance-switch"
        value={appearance}
        onChange={(e) => {
          const a = e.target.value as Appearance;
          setAppearance(a);
          applyAppearance(a);
        }}
      >
        <option value="system">{t('appearance.system')}</option>
        <option value="light">{t('appearance.light')}</option>
        <option value="dark">{t('appearance.dark')}</option>
      </select>
    </div>
  );
}
