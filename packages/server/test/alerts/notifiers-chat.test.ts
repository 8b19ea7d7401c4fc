import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { dingtalk } from '../../src/alerts/notifiers/dingtalk.ts';
import { discord } from '../../src/alerts/notifiers/discord.ts';
import { feishu } from '../../src/alerts/notifiers/feishu.ts';
import { gotify } from '../../src/alerts/notifiers/gotify.ts';
import { matrix } from '../../src/alerts/notifiers/matrix.ts';
import { ntfy } from '../../src/alerts/notifiers/ntfy.ts';
import { pushover } from '../../src/alerts/notifiers/pushover.ts';
import { pushplus } from '../../src/alerts/notifiers/pushplus.ts';
import { slack } from '../../src/alerts/notifiers/slack.ts';
import { wecom } from '../../src/alerts/notifiers/wecom.ts';
import { answerJson, startCaptureServer, type CaptureServer } from '../helpers/capture-server.ts';
import { offlineNotice, sendVia } from './notice.ts';

const servers: CaptureServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});
async function standIn(...args: Parameters<typeof startCaptureServer>): Promise<CaptureServer> {
  const s = await startCaptureServer(...args);
  servers.push(s);
  return s;
}

/** What channels without a title field show: the title line, then the text. */
const titled = `Offline\n${offlineNotice().text}`;

/** Asserts the error says `reason` and quotes none of `secrets`. */
function failsWith(reason: RegExp, ...secrets: string[]) {
  return (err: Error) => {
    assert.match(err.message, reason);
    for (const s of secrets) assert.ok(!err.message.includes(s), `error quotes a secret: ${err.message}`);
    return true;
  };
}

describe('ntfy (JSON publish to the server root)', () => {
  async function ntfyServer(): Promise<CaptureServer> {
    return standIn((req, res) => {
      if (req.headers.authorization !== undefined && req.headers.authorization !== 'Bearer tk_good') {
        return answerJson(res, 401, { code: 40101, http: 401, error: 'unauthorized', link: 'https://ntfy.sh/docs/publish/#authentication' });
      }
      answerJson(res, 200, { id: 'abc', time: 1, event: 'message', topic: 'alerts' });
    });
  }

  it('POSTs {topic, message, title, priority, tags} with a Bearer token', async () => {
    const s = await ntfyServer();
    await sendVia(ntfy, { server_url: `${s.url}/`, topic: 'alerts', token: 'tk_good', priority: '4', tags: 'warning, skull,' });
    const req = s.seen[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.rawUrl, '/');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers.authorization, 'Bearer tk_good');
    assert.deepEqual(JSON.parse(req.body), { topic: 'alerts', message: offlineNotice().text, title: 'Offline', priority: 4, tags: ['warning', 'skull'] });
  });

  it('without token, priority or tags sends only topic, message and title', async () => {
    const s = await ntfyServer();
    await sendVia(ntfy, { server_url: s.url, topic: 'alerts' });
    assert.equal(s.seen[0]!.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(s.seen[0]!.body), { topic: 'alerts', message: offlineNotice().text, title: 'Offline' });
  });

  it('a refusal fails with ntfy’s error, not the token', async () => {
    const s = await ntfyServer();
    await assert.rejects(sendVia(ntfy, { server_url: s.url, topic: 'alerts', token: 'tk_bad' }), failsWith(/^ntfy answered HTTP 401: unauthorized$/, 'tk_bad'));
  });
});

describe('gotify', () => {
  it('POSTs <server>/message with X-Gotify-Key and {title, message, priority}', async () => {
    const s = await standIn((req, res) => {
      if (req.headers['x-gotify-key'] !== 'AppTok') {
        return answerJson(res, 401, { error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token or user credentials to access this api' });
      }
      answerJson(res, 200, { id: 1, appid: 1, message: 'x', title: 'y', priority: 5 });
    });
    await sendVia(gotify, { server_url: `${s.url}/gotify/`, app_token: 'AppTok' });
    const req = s.seen[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.rawUrl, '/gotify/message');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), { title: 'Offline', message: offlineNotice().text, priority: 5 });
    await assert.rejects(sendVia(gotify, { server_url: s.url, app_token: 'WrongTok', priority: 8 }), failsWith(/^gotify answered HTTP 401: you need to provide a valid access token/, 'WrongTok'));
    assert.equal((JSON.parse(s.seen[1]!.body) as { priority: number }).priority, 8);
  });
});

describe('discord and slack webhooks', () => {
  it('discord POSTs {content, username}, cuts content to 2000 characters, accepts 204', async () => {
    const s = await standIn((req, res) => {
      if (!req.url.pathname.endsWith('/tok')) return answerJson(res, 401, { message: 'Invalid Webhook Token', code: 50027 });
      res.writeHead(204).end();
    });
    await sendVia(discord, { webhook_url: `${s.url}/api/webhooks/1/tok`, username: 'komari' });
    assert.deepEqual(JSON.parse(s.seen[0]!.body), { content: titled, username: 'komari' });
    await sendVia(discord, { webhook_url: `${s.url}/api/webhooks/1/tok` }, offlineNotice('🔴'.repeat(2500)));
    const long = (JSON.parse(s.seen[1]!.body) as { content: string }).content;
    assert.equal(Array.from(long).length, 2000);
    assert.ok(long.endsWith('🔴…'));
    await assert.rejects(sendVia(discord, { webhook_url: `${s.url}/api/webhooks/1/other` }), failsWith(/^discord answered HTTP 401: Invalid Webhook Token$/, 'other'));
  });

  it('slack POSTs {text} and fails with Slack’s plain-text reason', async () => {
    const s = await standIn((req, res) => {
      if (req.url.pathname !== '/services/T1/B1/good') return res.writeHead(403, { 'content-type': 'text/plain' }).end('invalid_token');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await sendVia(slack, { webhook_url: `${s.url}/services/T1/B1/good` });
    assert.equal(s.seen[0]!.method, 'POST');
    assert.equal(s.seen[0]!.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(s.seen[0]!.body), { text: titled });
    await assert.rejects(sendVia(slack, { webhook_url: `${s.url}/services/T1/B1/bad` }), failsWith(/^slack answered HTTP 403: invalid_token$/, '/bad'));
  });
});

describe('dingtalk and wecom robots (errcode answers)', () => {
  it('dingtalk signs with HMAC-SHA256(secret, "<ms>\\n<secret>") and sends a text message', async () => {
    const secret = 'SECabc123';
    const s = await standIn((req, res) => {
      const q = req.url.searchParams;
      if (q.get('access_token') !== 'tok') return answerJson(res, 200, { errcode: 300001, errmsg: 'token is not exist' });
      answerJson(res, 200, { errcode: 0, errmsg: 'ok' });
    });
    const before = Date.now();
    await sendVia(dingtalk, { endpoint: `${s.url}/robot/send`, access_token: 'tok', secret });
    const req = s.seen[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url.pathname, '/robot/send');
    const timestamp = req.url.searchParams.get('timestamp')!;
    assert.ok(Number(timestamp) >= before && Number(timestamp) <= Date.now());
    const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    // The raw query carries the signature percent-encoded, as DingTalk documents.
    assert.equal(req.rawUrl, `/robot/send?access_token=tok&timestamp=${timestamp}&sign=${encodeURIComponent(expected)}`);
    assert.deepEqual(JSON.parse(req.body), { msgtype: 'text', text: { content: titled } });
    await sendVia(dingtalk, { endpoint: `${s.url}/robot/send`, access_token: 'tok' });
    assert.equal(s.seen[1]!.rawUrl, '/robot/send?access_token=tok');
    await assert.rejects(sendVia(dingtalk, { endpoint: `${s.url}/robot/send`, access_token: 'nope', secret }), failsWith(/^dingtalk answered errcode 300001: token is not exist$/, 'nope', secret));
  });

  it('wecom POSTs a text message to the webhook URL; a non-zero errcode fails with errmsg', async () => {
    const s = await standIn((req, res) => {
      if (req.url.searchParams.get('key') !== 'k-good') return answerJson(res, 200, { errcode: 93000, errmsg: 'invalid webhook url, hint: [1]' });
      answerJson(res, 200, { errcode: 0, errmsg: 'ok' });
    });
    await sendVia(wecom, { webhook_url: `${s.url}/cgi-bin/webhook/send?key=k-good` });
    assert.equal(s.seen[0]!.rawUrl, '/cgi-bin/webhook/send?key=k-good');
    assert.deepEqual(JSON.parse(s.seen[0]!.body), { msgtype: 'text', text: { content: titled } });
    await assert.rejects(sendVia(wecom, { webhook_url: `${s.url}/cgi-bin/webhook/send?key=k-bad` }), failsWith(/^wecom answered errcode 93000: invalid webhook url/, 'k-bad'));
  });
});

describe('feishu bot', () => {
  it('signs with HMAC-SHA256(key "<s>\\n<secret>", empty message) in the body; code 0 or StatusCode 0 is success', async () => {
    const secret = 'fs-secret';
    const s = await standIn((req, res) => {
      if (req.url.pathname.endsWith('/old')) return answerJson(res, 200, { Extra: null, StatusCode: 0, StatusMessage: 'success' });
      if (req.url.pathname.endsWith('/bad')) return answerJson(res, 200, { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time', data: {} });
      answerJson(res, 200, { code: 0, msg: 'success', data: {} });
    });
    const before = Math.floor(Date.now() / 1000);
    await sendVia(feishu, { webhook_url: `${s.url}/open-apis/bot/v2/hook/tok`, secret });
    const body = JSON.parse(s.seen[0]!.body) as Record<string, unknown>;
    const timestamp = body.timestamp as string;
    assert.ok(Number(timestamp) >= before && Number(timestamp) <= Date.now() / 1000);
    assert.deepEqual(body, {
      msg_type: 'text',
      content: { text: titled },
      timestamp,
      sign: createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64'),
    });
    await sendVia(feishu, { webhook_url: `${s.url}/open-apis/bot/v2/hook/old` });
    assert.deepEqual(JSON.parse(s.seen[1]!.body), { msg_type: 'text', content: { text: titled } });
    await assert.rejects(sendVia(feishu, { webhook_url: `${s.url}/open-apis/bot/v2/hook/bad`, secret }), failsWith(/^feishu answered code 19021: sign match fail/, secret));
  });
});

describe('pushplus and pushover', () => {
  it('pushplus POSTs {token, title, content, template, topic}; code 200 is success', async () => {
    const s = await standIn((req, res) => {
      const body = JSON.parse(req.body) as { token: string };
      if (body.token !== 'pp-good') return answerJson(res, 200, { code: 903, msg: '无效的用户token', data: null });
      answerJson(res, 200, { code: 200, msg: '请求成功', data: 'id' });
    });
    await sendVia(pushplus, { endpoint: `${s.url}/send`, token: 'pp-good', topic: 'ops' });
    assert.equal(s.seen[0]!.rawUrl, '/send');
    assert.deepEqual(JSON.parse(s.seen[0]!.body), { token: 'pp-good', title: 'Offline', content: offlineNotice().text, template: 'txt', topic: 'ops' });
    await assert.rejects(sendVia(pushplus, { endpoint: `${s.url}/send`, token: 'pp-bad' }), failsWith(/^pushplus answered code 903: 无效的用户token$/, 'pp-bad'));
  });

  it('pushover POSTs a form {token, user, title, message, priority, sound}; status 1 is success', async () => {
    const s = await standIn((req, res) => {
      const form = new URLSearchParams(req.body);
      if (form.get('token') !== 'app-good') return answerJson(res, 400, { token: 'invalid', errors: ['application token is invalid'], status: 0, request: 'r' });
      answerJson(res, 200, { status: 1, request: 'r' });
    });
    await sendVia(pushover, { endpoint: `${s.url}/1/messages.json`, token: 'app-good', user: 'user-key', priority: '1', sound: 'siren' });
    const req = s.seen[0]!;
    assert.equal(req.rawUrl, '/1/messages.json');
    assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(req.body)), { token: 'app-good', user: 'user-key', title: 'Offline', message: offlineNotice().text, priority: '1', sound: 'siren' });
    await assert.rejects(sendVia(pushover, { endpoint: `${s.url}/1/messages.json`, token: 'app-bad', user: 'user-key' }), failsWith(/^pushover answered HTTP 400: application token is invalid$/, 'app-bad', 'user-key'));
  });
});

describe('matrix', () => {
  it('PUTs an m.text event to the room with a fresh transaction id and a Bearer token', async () => {
    const s = await standIn((req, res) => {
      if (req.headers.authorization !== 'Bearer syt_good') return answerJson(res, 401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token passed.' });
      answerJson(res, 200, { event_id: '$ev1' });
    });
    const room = '!abc:example.org';
    await sendVia(matrix, { homeserver: `${s.url}/`, access_token: 'syt_good', room_id: room });
    await sendVia(matrix, { homeserver: s.url, access_token: 'syt_good', room_id: room });
    const [a, b] = s.seen as [(typeof s.seen)[0], (typeof s.seen)[0]];
    assert.equal(a.method, 'PUT');
    const prefix = `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/m.room.message/`;
    assert.ok(a.rawUrl.startsWith(prefix), a.rawUrl);
    assert.notEqual(a.rawUrl, b.rawUrl, 'each send has its own transaction id');
    assert.equal(a.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(a.body), { msgtype: 'm.text', body: titled });
    await assert.rejects(sendVia(matrix, { homeserver: s.url, access_token: 'syt_bad', room_id: room }), failsWith(/^matrix answered HTTP 401: Invalid access token passed\.$/, 'syt_bad'));
  });
});

describe('a service that never answers', () => {
  it('the send ends with an error when the delivery’s signal aborts', async () => {
    const s = await standIn(() => {
      // never answers
    });
    await assert.rejects(sendVia(ntfy, { server_url: s.url, topic: 'alerts' }, offlineNotice(), 300), { message: 'no answer within 0.3 s' });
    await assert.rejects(sendVia(dingtalk, { endpoint: s.url, access_token: 'tok' }, offlineNotice(), 300), /no answer within 0\.3 s/);
  });

  it('a closed port fails with the connection error, not the URL', async () => {
    const gone = await startCaptureServer(() => {});
    await gone.close();
    await assert.rejects(sendVia(dingtalk, { endpoint: `${gone.url}/robot/send`, access_token: 'tok-secret' }), failsWith(/^request failed: ECONNREFUSED$/, 'tok-secret'));
  });
});
