import { longestRetentionHours } from '@komari-ts/protocol';
import type { AppContext } from '../app-context.ts';
import type { Caller } from '../rpc/caller.ts';
import { defineMethod, noParams, type MethodDef } from '../rpc/registry.ts';
import { publicThemeSettings } from '../themes/settings/public-settings.ts';

/** `/api/public` data (public-api.md §6.3), plus the seed's `allow_cors`. */
export async function publicInfo(app: AppContext, caller: Caller | undefined): Promise<Record<string, unknown>> {
  const s = app.settings;
  const retention = s.get('history_retention');
  const keptHours = longestRetentionHours(retention);
  const corsCheck = s.get('cors_origin_check_enabled');
  return {
    sitename: s.get('sitename'),
    description: s.get('description'),
    custom_head: s.get('custom_head'),
    custom_body: s.get('custom_body'),
    oauth_enable: s.get('o_auth_enabled'),
    oauth_provider: s.get('o_auth_provider') || 'github',
    disable_password_login: s.get('disable_password_login'),
    allow_cors: !corsCheck || s.get('cors_allowed_origins').split(/[,\n\r]/).some((e) => e.trim() === '*'),
    cors_origin_check_enabled: corsCheck,
    record_enabled: retention.every((t) => t.keepHours > 0),
    record_preserve_time: keptHours,
    ping_record_preserve_time: keptHours,
    private_site: s.get('private_site') && !(caller?.meta.tempKey ?? false),
    visitor_audit_enabled: s.get('visitor_audit_enabled'),
    theme: s.get('theme'),
    theme_settings: await publicThemeSettings(app),
  };
}

/**
 * The Komari release whose API komari-ts serves: Komari clients gate features on the version
 * (the seed's UI on > 1.0.3 and ≥ 1.0.5), so `version` is Komari's number, and komari-ts names
 * itself and its own version beside it.
 */
export const komariApiVersion = '1.4.3';

function version(app: AppContext) {
  return { version: komariApiVersion, hash: app.config.hash, server: 'komari-ts', server_version: app.config.version };
}

/** `/api/me` (public-api.md §6.2): API keys and agents see the guest shape. */
function publicMe(caller: Caller) {
  if (caller.kind !== 'user') return { logged_in: false, username: 'Guest' };
  const a = caller.account;
  return {
    '2fa_enabled': a.twoFactor !== '',
    logged_in: true,
    sso_id: a.ssoId,
    sso_type: a.ssoType,
    username: a.username,
    uuid: a.uuid,
  };
}

/** `common:getMe` always has the six keys (rpc2.md §10.1). */
function commonMe(caller: Caller) {
  const base = { '2fa_enabled': false, logged_in: false, sso_id: '', sso_type: '', username: '', uuid: '' };
  if (caller.kind === 'user') return publicMe(caller);
  if (caller.kind === 'apiKey') return { ...base, logged_in: true, username: 'api_key' };
  if (caller.kind === 'agent') return { ...base, logged_in: true, username: 'client', sso_id: 'client', sso_type: 'client' };
  return base;
}

export const siteMethods: MethodDef[] = [
  defineMethod({ name: 'public:getMe', summary: 'Who is logged in (REST /api/me)', params: noParams, handler: (_p, { caller }) => publicMe(caller) }),
  defineMethod({ name: 'common:getMe', summary: 'Who is calling, always six keys', params: noParams, handler: (_p, { caller }) => commonMe(caller) }),
  defineMethod({
    name: 'public:getPublicSettings',
    summary: 'Public site settings (REST /api/public)',
    params: noParams,
    handler: (_p, { app, caller }) => publicInfo(app, caller),
  }),
  defineMethod({
    name: 'common:getPublicInfo',
    summary: 'Public site settings',
    params: noParams,
    handler: (_p, { app }) => publicInfo(app, undefined),
  }),
  defineMethod({ name: 'public:getVersion', summary: 'Server version (REST /api/version)', params: noParams, handler: (_p, { app }) => version(app) }),
  defineMethod({ name: 'common:getVersion', summary: 'Server version', params: noParams, handler: (_p, { app }) => version(app) }),
];
