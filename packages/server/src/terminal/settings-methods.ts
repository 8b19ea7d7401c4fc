import {
  defaultXtermjsSettings,
  normalizeXtermjsSettings,
  xtermjsSettingsInput,
  xtermjsSettingsKey,
  XtermjsSettingsError,
  type XtermjsSettings,
} from '@komari-ts/protocol';
import type { AppContext } from '../app-context.ts';
import { AppError } from '../errors.ts';
import { actorUuid } from '../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';

/** The stored settings, normalised; missing or unreadable ones are replaced by the defaults (Komari). */
async function readSettings(app: AppContext): Promise<XtermjsSettings> {
  const value = app.settings.all()[xtermjsSettingsKey];
  const stored = xtermjsSettingsInput.safeParse(value);
  if (value === undefined || !stored.success) {
    const defaults = defaultXtermjsSettings();
    await app.settings.update({ [xtermjsSettingsKey]: defaults });
    return defaults;
  }
  try {
    return normalizeXtermjsSettings(stored.data);
  } catch (err) {
    throw AppError.failed(`Failed to get xtermjs settings: ${(err as Error).message}`, err);
  }
}

/** The web terminal's look (admin-api.md §3.6). */
export const terminalSettingsMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getXtermjsSettings',
    summary: 'Get xterm.js terminal settings',
    params: noParams,
    handler: (_p, { app }) => readSettings(app),
  }),
  defineMethod({
    name: 'admin:setXtermjsSettings',
    summary: 'Set xterm.js terminal settings',
    params: xtermjsSettingsInput,
    positional: ['terminalOptions', 'terminalPadding', 'transparentBackground', 'customCss'],
    bindError: 'Invalid or missing request body',
    handler: async (params, { app, caller }) => {
      let settings: XtermjsSettings;
      try {
        settings = normalizeXtermjsSettings(params);
      } catch (err) {
        if (err instanceof XtermjsSettingsError) throw AppError.invalidParams(`Invalid xtermjs settings: ${err.message}`);
        throw err;
      }
      await app.settings.update({ [xtermjsSettingsKey]: settings });
      await app.audit.log(caller.meta.ip, actorUuid(caller), 'update xtermjs settings', 'info');
      return settings;
    },
  }),
];
