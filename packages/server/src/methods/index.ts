import { alertMethods } from '../alerts/methods/index.ts';
import { builtinMethods } from '../rpc/builtins.ts';
import { clipboardMethods } from '../clipboard/methods.ts';
import { execMethods } from '../exec/methods.ts';
import { fileMethods } from '../files/methods.ts';
import type { MethodDef } from '../rpc/registry.ts';
import { oauthMethods } from '../oauth/methods.ts';
import { pingMethods } from '../ping/methods.ts';
import { liveMethods } from './live.ts';
import { logMethods } from './logs.ts';
import { nodeAdminMethods } from './nodes-admin.ts';
import { nodePublicMethods } from './nodes-public.ts';
import { databaseMethods } from './database.ts';
import { recordAdminMethods } from './records-admin.ts';
import { recordMethods } from './records.ts';
import { sessionMethods } from './sessions.ts';
import { settingsMethods } from './settings.ts';
import { siteMethods } from './site.ts';
import { visitorEventMethods } from './visitor-event.ts';
import { geoipMethods } from '../geoip/methods.ts';
import { metricMethods } from '../metrics/methods.ts';
import { terminalSettingsMethods } from '../terminal/settings-methods.ts';

/** Every JSON method of the server. A new feature adds its list here and its routes to bindings. */
export const allMethods: MethodDef[] = [
  ...builtinMethods,
  ...siteMethods,
  ...visitorEventMethods,
  ...settingsMethods,
  ...sessionMethods,
  ...logMethods,
  ...nodeAdminMethods,
  ...nodePublicMethods,
  ...liveMethods,
  ...recordMethods,
  ...recordAdminMethods,
  ...databaseMethods,
  ...terminalSettingsMethods,
  ...pingMethods,
  ...execMethods,
  ...oauthMethods,
  ...alertMethods,
  ...clipboardMethods,
  ...geoipMethods,
  ...metricMethods,
  ...fileMethods,
];
