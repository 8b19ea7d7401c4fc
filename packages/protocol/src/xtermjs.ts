import { z } from 'zod';

/**
 * The web terminal's xterm.js settings (admin-api.md §3.6), stored under `xtermjs_settings`:
 * Komari's shape, defaults and normalisation, shared by the server and the terminal page.
 */

export const xtermjsSettingsKey = 'xtermjs_settings';

/** The xterm.js theme colours Komari keeps; any other theme key is dropped. */
export const xtermThemeColorKeys = [
  'foreground', 'background', 'cursor', 'cursorAccent', 'selectionForeground', 'selectionBackground',
  'selectionInactiveBackground', 'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'brightBlack', 'brightRed', 'brightGreen', 'brightYellow', 'brightBlue', 'brightMagenta', 'brightCyan', 'brightWhite',
] as const;
export type XtermThemeColorKey = (typeof xtermThemeColorKeys)[number];

export type XtermTheme = Partial<Record<XtermThemeColorKey, string>> & { extendedAnsi?: string[] };

export interface XtermjsSettings {
  terminalOptions: {
    cursorBlink: boolean;
    convertEol: boolean;
    macOptionIsMeta: boolean;
    fontFamily: string;
    fontSize: number;
    scrollback: number;
    theme: XtermTheme | null;
  };
  terminalPadding: number;
  transparentBackground: boolean;
  customCss: string;
}

const defaultFontFamily = "'Cascadia Mono', 'Noto Sans SC', monospace";
const defaultFontSize = 16;
const defaultScrollback = 5000;
const defaultPadding = 16;

export function defaultXtermjsSettings(): XtermjsSettings {
  return {
    terminalOptions: {
      cursorBlink: true,
      convertEol: true,
      macOptionIsMeta: true,
      fontFamily: defaultFontFamily,
      fontSize: defaultFontSize,
      scrollback: defaultScrollback,
      theme: null,
    },
    terminalPadding: defaultPadding,
    transparentBackground: false,
    customCss: '',
  };
}

// What Komari's decoder accepts: every field may be missing or null (then it is the zero value
// or the default); a value of the wrong type is refused. Unknown keys are ignored.
const opt = <T extends z.ZodType>(t: T) => t.nullish();
const colorInputs = Object.fromEntries(xtermThemeColorKeys.map((k) => [k, opt(z.string())])) as Record<XtermThemeColorKey, ReturnType<typeof opt<z.ZodString>>>;
const themeInput = z.object({ ...colorInputs, extendedAnsi: opt(z.array(z.string())) });

/** The body of `admin:setXtermjsSettings` before normalisation. */
export const xtermjsSettingsInput = z.object({
  terminalOptions: opt(z.object({
    cursorBlink: opt(z.boolean()),
    convertEol: opt(z.boolean()),
    macOptionIsMeta: opt(z.boolean()),
    fontFamily: opt(z.string()),
    fontSize: opt(z.number().int()),
    scrollback: opt(z.number().int()),
    theme: opt(themeInput),
  })),
  terminalPadding: opt(z.number().int()),
  transparentBackground: opt(z.boolean()),
  customCss: opt(z.string()),
});
export type XtermjsSettingsInput = z.output<typeof xtermjsSettingsInput>;

/** Thrown by `normalizeXtermjsSettings` for what Komari refuses after decoding. */
export class XtermjsSettingsError extends Error {}

function normalizeTheme(input: z.output<typeof themeInput> | null | undefined): XtermTheme | null {
  if (!input) return null;
  const theme: XtermTheme = {};
  for (const k of xtermThemeColorKeys) {
    const v = input[k]?.trim() ?? '';
    if (v !== '') theme[k] = v; // Komari omits empty colours
  }
  const extended = input.extendedAnsi ?? [];
  if (extended.length > 0) {
    theme.extendedAnsi = extended.map((e) => {
      const t = e.trim();
      if (t === '') throw new XtermjsSettingsError('extendedAnsi must not contain empty strings');
      return t;
    });
  }
  return Object.keys(theme).length === 0 ? null : theme;
}

/**
 * Komari's normalisation: missing booleans are true, a blank font or a size below 1 the default,
 * a missing or negative scrollback or padding the default, theme colours trimmed (an all-empty
 * theme is null). Without `terminalOptions` the whole default block is used.
 */
export function normalizeXtermjsSettings(input: XtermjsSettingsInput): XtermjsSettings {
  const out = defaultXtermjsSettings();
  const o = input.terminalOptions;
  if (o) {
    out.terminalOptions = {
      cursorBlink: o.cursorBlink ?? true,
      convertEol: o.convertEol ?? true,
      macOptionIsMeta: o.macOptionIsMeta ?? true,
      fontFamily: o.fontFamily?.trim() || defaultFontFamily,
      fontSize: o.fontSize != null && o.fontSize >= 1 ? o.fontSize : defaultFontSize,
      scrollback: o.scrollback != null && o.scrollback >= 0 ? o.scrollback : defaultScrollback,
      theme: normalizeTheme(o.theme),
    };
  }
  if (input.terminalPadding != null && input.terminalPadding >= 0) out.terminalPadding = input.terminalPadding;
  out.transparentBackground = input.transparentBackground ?? false;
  out.customCss = input.customCss ?? '';
  return out;
}
