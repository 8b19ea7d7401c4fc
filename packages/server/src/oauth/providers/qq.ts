import type { FieldSpec } from '../items.ts';
import { asObject, fetchJson } from '../provider-http.ts';
import { requireFields, type OAuthProvider } from './types.ts';

const fields: readonly FieldSpec[] = [
  { name: 'aggregation_url', required: true, default: 'https://login.qjqq.cn' },
  { name: 'app_id', required: true },
  { name: 'app_key', required: true },
  { name: 'login_type', required: true },
];

function connectUrl(config: Record<string, string>, params: Record<string, string>): string {
  const base = config.aggregation_url!.replace(/\/+$/, '');
  return `${base}/connect.php?${new URLSearchParams(params).toString()}`;
}

/**
 * The QQ/WeChat "aggregation login" service Komari supports (auth.md §8.2). Its callback carries
 * `code` and `type` but not `state`, so the state comes from the cookie alone.
 */
export const qqProvider: OAuthProvider = {
  name: 'qq',
  fields,
  secretFields: ['app_key'],
  sendsRedirectUri: true,
  echoesState: false,
  async authorize(config, _state, env) {
    requireFields(config, ['aggregation_url', 'app_id', 'app_key', 'login_type'], 'qq');
    const answer = asObject(
      await fetchJson(
        connectUrl(config, { act: 'login', appid: config.app_id!, appkey: config.app_key!, type: config.login_type!, redirect_uri: env.callbackUrl }),
        {},
        env.http,
      ),
      'the aggregator answer',
    );
    if (answer.code !== 0 || typeof answer.url !== 'string') {
      throw new Error(`the aggregator refused the login: code ${String(answer.code)}: ${String(answer.msg ?? '')}`);
    }
    // Komari redirects to whatever comes back; only a web URL is followed here.
    if (!/^https?:\/\//i.test(answer.url)) throw new Error('the aggregator answered a login URL that is not http(s)');
    return { url: answer.url };
  },
  async exchange(config, query, _extra, env) {
    requireFields(config, ['aggregation_url', 'app_id', 'app_key', 'login_type'], 'qq');
    if (!query.code) throw new Error('no authorization code provided');
    const type = query.type || config.login_type!;
    const answer = asObject(
      await fetchJson(connectUrl(config, { act: 'callback', appid: config.app_id!, appkey: config.app_key!, type, code: query.code }), {}, env.http),
      'the aggregator answer',
    );
    if (answer.code !== 0) throw new Error(`QQ login callback failed with code ${String(answer.code)}: ${String(answer.msg ?? '')}`);
    if (typeof answer.social_uid !== 'string' || answer.social_uid === '') throw new Error('empty social_uid returned');
    return answer.social_uid;
  },
};
