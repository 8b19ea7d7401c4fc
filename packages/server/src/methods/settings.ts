import { z } from 'zod';
import { actorUuid } from '../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';
import { supportMap, unsupportedKeys } from '../services/setting-support.ts';

// A map of key: value; an array or a scalar cannot bind to it (bind-params.ts).
const editSettingsParams = z.record(z.string(), z.unknown());

export const settingsMethods: MethodDef[] = [
  defineMethod({
    name: 'admin:getSettings',
    summary: 'Every stored setting, secrets included',
    params: noParams,
    handler: (_p, { app }) => app.settings.all(),
  }),
  defineMethod({
    name: 'admin:editSettings',
    summary: 'Change some settings; known keys are type-checked, unknown keys are stored as sent',
    // Every key of the body is a setting.
    params: editSettingsParams,
    bindError: 'Invalid or missing request body',
    handler: async (params, { app, caller }) => {
      const keys = await app.settings.update(params);
      if (keys.length > 0) app.bus.publish('settings.changed', { values: Object.fromEntries(keys.map((k) => [k, params[k]])) });
      if (keys.length > 0) await app.audit.log(caller.meta.ip, actorUuid(caller), `update settings: ${keys.join(', ')}`, 'info');
      // Komari's answer has no data; komari-ts adds it only to name keys it will not act on.
      const unsupported = unsupportedKeys(Object.keys(params));
      return unsupported.length > 0 ? { unsupported_keys: unsupported } : undefined;
    },
  }),
  defineMethod({
    name: 'admin:getSettingsSupport',
    summary: "What komari-ts does with each Komari settings key and each stored key (komari-ts's own method)",
    params: noParams,
    handler: (_p, { app }) => supportMap(Object.keys(app.settings.all())),
  }),
];
