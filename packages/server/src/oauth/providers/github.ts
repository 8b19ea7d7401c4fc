import type { FieldSpec } from '../items.ts';
import { accessTokenOf, asObject, fetchJson } from '../provider-http.ts';
import { requireFields, withQuery, type OAuthProvider } from './types.ts';

const fields: readonly FieldSpec[] = [
  { name: 'client_id', required: true },
  { name: 'client_secret', required: true },
];

/**
 * GitHub OAuth apps (auth.md §8.2). No `redirect_uri` is sent: GitHub uses the app's registered
 * callback, so this provider works without KOMARI_PUBLIC_URL.
 */
export const githubProvider: OAuthProvider = {
  name: 'github',
  fields,
  secretFields: ['client_secret'],
  sendsRedirectUri: false,
  echoesState: true,
  async authorize(config, state, env) {
    requireFields(config, ['client_id'], 'github');
    const url = withQuery(`${env.endpoints.githubWeb}/login/oauth/authorize`, { client_id: config.client_id!, state, scope: 'user:email' });
    return { url };
  },
  async exchange(config, query, _extra, env) {
    requireFields(config, ['client_id', 'client_secret'], 'github');
    if (!query.code) throw new Error('no authorization code provided');
    const tokenUrl = withQuery(`${env.endpoints.githubWeb}/login/oauth/access_token`, {
      client_id: config.client_id!,
      client_secret: config.client_secret!,
      code: query.code,
    });
    const accessToken = accessTokenOf(await fetchJson(tokenUrl, { method: 'POST' }, env.http));
    const user = asObject(
      await fetchJson(`${env.endpoints.githubApi}/user`, { headers: { Authorization: `Bearer ${accessToken}`, 'User-Agent': 'komari-ts' } }, env.http),
      'the user answer',
    );
    if (typeof user.id !== 'number' || !Number.isSafeInteger(user.id)) throw new Error('the user answer has no numeric id');
    return String(user.id);
  },
};
