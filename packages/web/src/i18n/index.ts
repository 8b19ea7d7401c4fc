// Every namespace is one JSON file per language under locales/<lang>/<namespace>.json, so each
// part of the UI owns its own strings. A missing key is a console error: the browser tests fail
// on any console error, which is how "no missing keys in either language" is enforced.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

export const languages = ['en', 'zh-CN'] as const;
export type Language = (typeof languages)[number];

const files = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', { eager: true, import: 'default' });

function resources(): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [path, data] of Object.entries(files)) {
    const m = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    (out[m[1]!] ??= {})[m[2]!] = data;
  }
  return out;
}

/** The language saved by the switch (localStorage `language`, shared with Komari themes), else the browser's. */
export function initialLanguage(): Language {
  const saved = localStorage.getItem('language');
  const wanted = saved ? [saved] : navigator.languages;
  for (const tag of wanted) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function setLanguage(lang: Language): void {
  localStorage.setItem('language', lang);
  // The server reads the `language` cookie to set <html lang> on the served index (themes.md §4.4).
  document.cookie = `language=${lang}; path=/; max-age=31536000; samesite=lax`;
  document.documentElement.lang = lang;
  void i18next.changeLanguage(lang);
}

export function initI18n(): typeof i18next {
  const lang = initialLanguage();
  document.documentElement.lang = lang;
  void i18next.use(initReactI18next).init({
    resources: resources(),
    lng: lang,
    fallbackLng: false,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (lngs, ns, key) => console.error(`i18n: missing key ${ns}:${key} for ${lngs.join(',')}`),
    initAsync: false,
  });
  return i18next;
}
