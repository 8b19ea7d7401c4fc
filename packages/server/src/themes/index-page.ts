import type { Settings } from '@komari-ts/protocol';

/** The four strings a theme's index.html must carry for the site settings to apply (themes.md §4.4). */
const placeholders = {
  title: '<title>Komari Monitor</title>',
  description: 'A simple server monitor tool.',
  head: '</head>',
  body: '</body>',
};

type SiteText = Pick<Settings, 'sitename' | 'description' | 'custom_head' | 'custom_body'>;

/**
 * Renders a theme's index.html: the `language` cookie sets `<html lang>` (all pages), and themed
 * pages get the site name, description, custom head and custom body inserted verbatim — one
 * pass, so text inserted by one replacement is never matched by another.
 */
export function renderIndex(template: string, opts: { language: string; themed: boolean; site: SiteText }): string {
  let html = template;
  const lang = opts.language.replace(/_/g, '-');
  if (/^[A-Za-z0-9-]{2,32}$/.test(lang)) html = withLanguage(html, lang);
  if (!opts.themed) return html;
  const { site } = opts;
  const replacements: Record<string, string> = {
    [placeholders.title]: `<title>${site.sitename}</title>`,
    [placeholders.description]: site.description,
    [placeholders.head]: site.custom_head + placeholders.head,
    [placeholders.body]: site.custom_body + placeholders.body,
  };
  const pattern = new RegExp(Object.keys(replacements).map(escapeRegExp).join('|'), 'g');
  return html.replace(pattern, (m) => replacements[m]!);
}

function withLanguage(html: string, lang: string): string {
  for (const tag of ['<html lang="en">', "<html lang='en'>", '<html>']) {
    const i = html.indexOf(tag);
    if (i >= 0) return html.slice(0, i) + `<html lang="${lang}">` + html.slice(i + tag.length);
  }
  return html;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
