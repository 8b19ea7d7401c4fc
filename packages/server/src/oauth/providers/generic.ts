import type { FieldSpec } from '../items.ts';
import { accessTokenOf, asObject, fetchJson } from '../provider-http.ts';
import { goFormatValue } from './go-format.ts';
import { requireFields, withQuery, type OAuthProvider } from './types.ts';

const fields: readonly FieldSpec[] = [
  { name: 'client_id', required: true },
  { name: 'client_secret', required: true },
  { name: 'auth_url', required: true },
  { name: 'token_url', required: true },
  { name: 'user_info_url', required: true },
  { name: 'scope' },
  { name: 'user_id_field', required: true },
];

/**
 * Any OAuth 2 server with a user-info endpoint (auth.md §8.2), as Komari does it: no ID token, no
 * PKCE. The user id is `userinfo[user_id_field]` printed as Go's `%v` would.
 */
export const genericProvider: OAuthProvider = {
  name: 'generic',
  fields,
  secretFields: ['client_secret'],
  sendsRedirectUri: true,
  echoesState: true,
  async authorize(config, state, env) {
    requireFields(config, ['client_id', 'auth_url'], 'generic');
    const url = withQuery(config.auth_url!, {
      client_id: config.client_id!,
      state,
      scope: config.scope ?? '',
      redirect_uri: env.callbackUrl,
      response_type: 'code',
    });
    return { url };
  },
  async exchange(config, query, _extra, env) {
    requireFields(config, ['client_id', 'token_url', 'user_info_url', 'user_id_field'], 'generic');
    if (!query.code) throw new Error('no authorization code provided');
    const form = new URLSearchParams({
      client_id: config.client_id!,
      client_secret: config.client_secret ?? '',
      code: query.code,
      redirect_uri: env.callbackUrl,
      grant_type: 'authorization_code',
    });
    const accessToken = accessTokenOf(await fetchJson(config.token_url!, { method: 'POST', body: form }, env.http));
    const info = asObject(
      await fetchJson(config.user_info_url!, { headers: { Authorization: `Bearer ${accessToken}` } }, env.http),
      'the user info answer',
    );
    const id = goFormatValue(info[config.user_id_field!]);
    if (id === undefined || id === '') throw new Error(`the user info has no usable field ${JSON.stringify(config.user_id_field)}`);
    return id;
  },
};
