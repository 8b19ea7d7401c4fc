import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bark } from '../../src/alerts/notifiers/bark.ts';
import { empty } from '../../src/alerts/notifiers/empty.ts';
import { serverChan3 } from '../../src/alerts/notifiers/serverchan3.ts';
import { serverChanTurbo } from '../../src/alerts/notifiers/serverchan-turbo.ts';
import { telegram } from '../../src/alerts/notifiers/telegram.ts';
import { webhook } from '../../src/alerts/notifiers/webhook.ts';
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

describe('telegram (Komari’s sender, against a stand-in Bot API)', () => {
  const token = '123456:AAH-secret_Token';
  async function botApi(): Promise<CaptureServer> {
    return standIn((req, res) => {
      if (req.url.pathname !== `/bot${token}/sendMessage`) return answerJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      const chat = new URLSearchParams(req.body).get('chat_id');
      if (chat !== '-100123') return answerJson(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
      answerJson(res, 200, { ok: true, result: { message_id: 7 } });
    });
  }

  it('POSTs a form to <endpoint><token>/sendMessage with the bold title and HTML-escaped text', async () => {
    const s = await botApi();
    await sendVia(telegram, { bot_token: token, chat_id: '-100123', message_thread_id: '42', endpoint: `${s.url}/bot` });
    const req = s.seen[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.rawUrl, `/bot${token}/sendMessage`);
    assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
    const form = Object.fromEntries(new URLSearchParams(req.body));
    assert.deepEqual(form, {
      chat_id: '-100123',
      text: '<b>Offline</b>\n🔴🔴🔴\nEvent: Offline\nClients: hk&lt;1&gt; &amp; "tokyo"\nMessage: \nTime: 2026-08-01T09:30:12Z',
      parse_mode: 'HTML',
      message_thread_id: '42',
    });
  });

  it('leaves message_thread_id out when it is empty', async () => {
    const s = await botApi();
    await sendVia(telegram, { bot_token: token, chat_id: '-100123', message_thread_id: '', endpoint: `${s.url}/bot` });
    assert.equal(new URLSearchParams(s.seen[0]!.body).has('message_thread_id'), false);
  });

  it('fails with Telegram’s description and never the bot token', async () => {
    const s = await botApi();
    await assert.rejects(sendVia(telegram, { bot_token: token, chat_id: '-1', endpoint: `${s.url}/bot` }), (err: Error) => {
      assert.equal(err.message, 'telegram answered HTTP 400: Bad Request: chat not found');
      return true;
    });
  });

  it('an endpoint that is not a URL is refused without quoting the URL (it holds the token)', () => {
    assert.throws(() => sendVia(telegram, { bot_token: token, chat_id: '-1', endpoint: 'not a url/' }), (err: Error) => {
      assert.equal(err.message, 'endpoint must start with http:// or https://');
      assert.ok(!err.message.includes(token));
      return true;
    });
  });
});

describe('webhook (Komari’s sender)', () => {
  async function hook(): Promise<CaptureServer> {
    return standIn((req, res) => {
      if (req.url.pathname === '/broken') return res.writeHead(500, { 'content-type': 'text/plain' }).end('queue full');
      res.writeHead(200).end('ok');
    });
  }

  it('GET (the default method) fills the placeholders into the URL, URL-encoded', async () => {
    const s = await hook();
    await sendVia(webhook, { url: `${s.url}/notify?t={{title}}&m={{message}}&e={{event}}{{emoji}}&c={{clients}}&at={{time}}&x={{unknown}}` });
    const req = s.seen[0]!;
    assert.equal(req.method, 'GET');
    const q = req.url.searchParams;
    assert.equal(q.get('t'), 'Offline');
    assert.equal(q.get('m'), offlineNotice().text);
    assert.equal(q.get('e'), 'Offline🔴');
    assert.equal(q.get('c'), 'hk<1> & "tokyo", u-2');
    assert.equal(q.get('at'), '2026-08-01T09:30:12.123Z');
    assert.equal(q.get('x'), '{{unknown}}');
    assert.equal(req.body, '');
  });

  it('POST with the default JSON body escapes values the way Komari does', async () => {
    const s = await hook();
    await sendVia(webhook, { url: `${s.url}/in`, method: 'POST', headers: '{"X-Key":"k1"}' });
    const req = s.seen[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['x-key'], 'k1');
    assert.equal(req.body, '{"message":"🔴🔴🔴\\u000AEvent: Offline\\u000AClients: hk<1> & \\u0022tokyo\\u0022\\u000AMessage: \\u000ATime: 2026-08-01T09:30:12Z","title":"Offline"}');
    assert.deepEqual(JSON.parse(req.body), { message: offlineNotice().text, title: 'Offline' });
  });

  it('POST with another content type substitutes raw values; invalid headers JSON is ignored; Basic auth when both set', async () => {
    const s = await hook();
    await sendVia(webhook, { url: `${s.url}/in`, method: 'POST', content_type: 'text/plain', body: '{{title}}: {{message}}', headers: '{oops', username: 'u', password: 'p:w' });
    const req = s.seen[0]!;
    assert.equal(req.headers['content-type'], 'text/plain');
    assert.equal(req.body, `Offline: ${offlineNotice().text}`);
    assert.equal(req.headers.authorization, `Basic ${Buffer.from('u:p:w').toString('base64')}`);
  });

  it('no Basic auth when only the username is set', async () => {
    const s = await hook();
    await sendVia(webhook, { url: `${s.url}/in`, username: 'u' });
    assert.equal(s.seen[0]!.headers.authorization, undefined);
  });

  it('a non-2xx answer fails with the status and the body', async () => {
    const s = await hook();
    await assert.rejects(sendVia(webhook, { url: `${s.url}/broken`, method: 'POST' }), { message: 'webhook answered HTTP 500: queue full' });
  });
});

describe('Server酱³ and Server酱Turbo (Komari’s senders)', () => {
  async function serverChan(): Promise<CaptureServer> {
    return standIn((req, res) => {
      if (req.url.pathname === '/bad.send') return answerJson(res, 400, { code: 40001, message: 'bad pushtoken' });
      if (req.url.pathname === '/refused.send') return answerJson(res, 200, { code: 20001, message: 'wrong sendkey' });
      answerJson(res, 200, { code: 0, message: '', data: { pushid: '1' } });
    });
  }

  it('Server酱³ POSTs {title, desp, tags} trimmed, empty tag parts dropped', async () => {
    const s = await serverChan();
    const notice = offlineNotice('  body text \n');
    await sendVia(serverChan3, { api_url: `${s.url}/send/sctp1.send`, tags: 'a||b|' }, notice);
    const req = s.seen[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.url.pathname, '/send/sctp1.send');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(req.body), { title: 'Offline', desp: 'body text', tags: 'a|b' });
  });

  it('Server酱³ refuses a notice with an empty title and message', async () => {
    const n = offlineNotice('  ');
    n.title = '';
    await assert.rejects(sendVia(serverChan3, { api_url: 'http://127.0.0.1:9/x' }, n), { message: 'title and message are both empty' });
  });

  it('Server酱Turbo sends channel, noip only as "1", openid', async () => {
    const s = await serverChan();
    await sendVia(serverChanTurbo, { api_url: `${s.url}/SCT1.send`, channel: '9|66', noip: '1', openid: 'o1,o2' });
    assert.deepEqual(JSON.parse(s.seen[0]!.body), { title: 'Offline', desp: offlineNotice().text.trim(), channel: '9|66', noip: '1', openid: 'o1,o2' });
    await sendVia(serverChanTurbo, { api_url: `${s.url}/SCT1.send`, noip: 'yes' });
    assert.equal('noip' in JSON.parse(s.seen[1]!.body), false);
  });

  it('an HTTP error and a non-zero code both fail with ServerChan’s message, not the send key', async () => {
    const s = await serverChan();
    await assert.rejects(sendVia(serverChanTurbo, { api_url: `${s.url}/bad.send` }), /ServerChan answered HTTP 400: .*bad pushtoken/);
    await assert.rejects(sendVia(serverChan3, { api_url: `${s.url}/refused.send` }), { message: 'ServerChan answered code 20001: wrong sendkey' });
  });
});

describe('bark (Komari’s sender)', () => {
  it('POSTs JSON to <server>/push and fails on a code other than 200', async () => {
    const s = await standIn((req, res) => {
      const body = JSON.parse(req.body) as { device_key: string };
      if (body.device_key !== 'dk') return answerJson(res, 400, { code: 400, message: 'failed to get device token' });
      answerJson(res, 200, { code: 200, message: 'success' });
    });
    await sendVia(bark, { server_url: `${s.url}/`, device_key: 'dk' });
    assert.equal(s.seen[0]!.url.pathname, '/push');
    assert.deepEqual(JSON.parse(s.seen[0]!.body), { body: offlineNotice().text, device_key: 'dk', title: 'Offline', level: 'timeSensitive' });
    await assert.rejects(sendVia(bark, { server_url: s.url, device_key: 'other' }), /bark answered HTTP 400: .*failed to get device token/);
  });
});

describe('empty (Komari’s sender)', () => {
  it('every send fails with Komari’s exact text', async () => {
    await assert.rejects(sendVia(empty, {}), { message: 'you are using an empty message sender, please check your configuration' });
  });
});
