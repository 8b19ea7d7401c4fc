// The admin's xterm.js settings (GET /api/admin/settings/xtermjs, Komari's shape) laid over the
// page's defaults. Fetched after the terminal opens, so the session never waits for them; when
// they cannot be read the terminal keeps its defaults.
import type { XtermjsSettings } from '@komari-ts/protocol';
import type { Terminal } from '@xterm/xterm';
import { apiGet } from '../../lib/api.ts';

/** Phones keep a small font whatever the setting, so a usable number of columns fits. */
const phoneFontSize = 12;

export function loadXtermSettings(signal: AbortSignal): Promise<XtermjsSettings | undefined> {
  return apiGet<XtermjsSettings>('/api/admin/settings/xtermjs', signal).catch(() => undefined);
}

/**
 * Applies the options, and the theme when one is set (otherwise the page's light/dark theme
 * stays). Returns whether the theme came from the settings, so the page's look leaves it alone.
 * The padding goes on xterm's own element, which the fit addon subtracts (the box's own padding
 * it would not: the page sizes borders in). transparentBackground and customCss are not applied.
 */
export function applyXtermSettings(term: Terminal, box: HTMLElement, s: XtermjsSettings): boolean {
  const o = s.terminalOptions;
  term.options.cursorBlink = o.cursorBlink;
  term.options.convertEol = o.convertEol;
  term.options.macOptionIsMeta = o.macOptionIsMeta;
  term.options.fontFamily = o.fontFamily;
  term.options.fontSize = window.innerWidth < 600 ? Math.min(o.fontSize, phoneFontSize) : o.fontSize;
  term.options.scrollback = o.scrollback;
  if (term.element) term.element.style.padding = `${s.terminalPadding}px`;
  box.style.padding = '0';
  if (o.theme) term.options.theme = o.theme;
  // the box shows around xterm's rows: it takes the theme's background too
  if (o.theme?.background) box.style.background = o.theme.background;
  return o.theme !== null;
}
