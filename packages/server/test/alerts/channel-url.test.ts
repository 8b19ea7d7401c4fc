import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelFromUrl } from '../../src/alerts/channel-url.ts';

/** URL → the kind and the config fields it gives. */
const cases: Array<[string, string, Record<string, unknown>]> = [
  ['tgram://123456:AAH-tok_En/-100123', 'telegram', { bot_token: '123456:AAH-tok_En', chat_id: '-100123' }],
  ['tgram://123456:AAH/-100123?thread=42', 'telegram', { bot_token: '123456:AAH', chat_id: '-100123', message_thread_id: '42' }],
  [
    'mailto://me%40example.com:p%40ss@smtp.example.com:2525?to=a@b.c,d@e.f',
    'email',
    { host: 'smtp.example.com', port: 2525, use_ssl: false, receiver: 'a@b.c,d@e.f', username: 'me@example.com', password: 'p@ss', sender: 'me@example.com' },
  ],
  [
    'mailtos://user:pw@smtp.example.com?to=a@b.c&from=Komari%20%3Ck@x.y%3E',
    'email',
    { host: 'smtp.example.com', port: 465, use_ssl: true, receiver: 'a@b.c', username: 'user', password: 'pw', sender: 'Komari <k@x.y>' },
  ],
  ['json://hooks.local:8080/in/alerts?+X-Key=abc&src=komari', 'webhook', { url: 'http://hooks.local:8080/in/alerts?src=komari', method: 'POST', content_type: 'application/json', headers: '{"X-Key":"abc"}' }],
  ['jsons://u:p%3Aw@hooks.example.com/in', 'webhook', { url: 'https://hooks.example.com/in', method: 'POST', content_type: 'application/json', username: 'u', password: 'p:w' }],
  ['bark://DevKey@api.day.app', 'bark', { device_key: 'DevKey', server_url: 'http://api.day.app' }],
  ['barks://DevKey@api.day.app', 'bark', { device_key: 'DevKey', server_url: 'https://api.day.app' }],
  ['ntfy://ntfy.local/alerts', 'ntfy', { server_url: 'http://ntfy.local', topic: 'alerts' }],
  ['ntfys://tk_123@ntfy.example.com/alerts?priority=5&tags=warning', 'ntfy', { server_url: 'https://ntfy.example.com', topic: 'alerts', token: 'tk_123', priority: '5', tags: 'warning' }],
  ['ntfy://alerts', 'ntfy', { server_url: 'https://ntfy.sh', topic: 'alerts' }],
  ['gotify://push.local:8080/AbCdEf', 'gotify', { server_url: 'http://push.local:8080', app_token: 'AbCdEf' }],
  ['gotifys://example.com/gotify/AbCdEf?priority=8', 'gotify', { server_url: 'https://example.com/gotify', app_token: 'AbCdEf', priority: 8 }],
  ['discord://112233/Tok-En_x', 'discord', { webhook_url: 'https://discord.com/api/webhooks/112233/Tok-En_x' }],
  ['slack://T0ABC/B0DEF/XyZ123', 'slack', { webhook_url: 'https://hooks.slack.com/services/T0ABC/B0DEF/XyZ123' }],
  ['dingtalk://AccessTok', 'dingtalk', { access_token: 'AccessTok' }],
  ['dingtalk://AccessTok/SECabc', 'dingtalk', { access_token: 'AccessTok', secret: 'SECabc' }],
  ['wecombot://key-123', 'wecom', { webhook_url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=key-123' }],
  ['feishu://hookTok/sec', 'feishu', { webhook_url: 'https://open.feishu.cn/open-apis/bot/v2/hook/hookTok', secret: 'sec' }],
  ['pushplus://PpTok', 'pushplus', { token: 'PpTok' }],
  ['pover://UserKey@AppTok?priority=1', 'pushover', { user: 'UserKey', token: 'AppTok', priority: '1' }],
  ['matrixs://syt_tok@matrix.org/!room:matrix.org', 'matrix', { homeserver: 'https://matrix.org', access_token: 'syt_tok', room_id: '!room:matrix.org' }],
  ['matrix://syt_tok@localhost:8008/#ops:localhost', 'matrix', { homeserver: 'http://localhost:8008', access_token: 'syt_tok', room_id: '#ops:localhost' }],
  ['schan://SCTkey123', 'Server酱Turbo', { api_url: 'https://sctapi.ftqq.com/SCTkey123.send' }],
];

describe('channelFromUrl (Apprise/Shoutrrr-style channel URLs)', () => {
  for (const [url, kind, config] of cases) {
    it(`${url} → ${kind}`, () => {
      assert.deepEqual(channelFromUrl(url), { kind, config });
    });
  }

  it('an unknown scheme names itself and the known ones', () => {
    assert.throws(() => channelFromUrl('foo://x/y'), /^Error: unknown channel URL scheme "foo" \(known: tgram, mailto, .*schan/);
  });

  it('text that is not a URL says what a channel URL looks like', () => {
    assert.throws(() => channelFromUrl('just a token'), /not a channel URL: it must start with a scheme/);
  });

  it('a malformed URL is refused without quoting it (it holds secrets)', () => {
    assert.throws(() => channelFromUrl('gotify://host:99999999/tok-secret'), (err: Error) => {
      assert.equal(err.message, 'malformed gotify:// URL');
      return true;
    });
  });

  it('a missing part is named with the URL form', () => {
    assert.throws(() => channelFromUrl('tgram://123456:AAH'), { message: 'tgram:// URL: the chat id is missing: tgram://<bot_token>/<chat_id>' });
    assert.throws(() => channelFromUrl('discord://112233'), /the webhook token is missing/);
    assert.throws(() => channelFromUrl('mailto://u:p@smtp.example.com'), /the receiver \(\?to=\) is missing/);
    assert.throws(() => channelFromUrl('pover://AppTok'), /the user key is missing/);
    assert.throws(() => channelFromUrl('matrixs://matrix.org/!r:m'), /the access token is missing/);
    assert.throws(() => channelFromUrl('slack://T0ABC/B0DEF'), /the token is missing/);
  });

  it('a value the schema refuses is reported as a bad config', () => {
    assert.throws(() => channelFromUrl('ntfys://ntfy.sh/alerts?priority=9'), /^Error: ntfys:\/\/ URL: gives a bad config \(priority must be one of 1, 2, 3, 4, 5\)$/);
  });

  it('percent-escapes are decoded; a broken escape is an error', () => {
    assert.deepEqual(channelFromUrl('pushplus://Pp%2BTok').config, { token: 'Pp+Tok' });
    assert.throws(() => channelFromUrl('dingtalk://tok/%E0%A4%A'), /broken %-escape/);
  });
});
