import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { loggerOptions } from '../src/http/log-options.ts';
import { logFormats } from '../src/logging/log-format.ts';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { http, sessionCookieOf, startWithAdmin, type TestServer } from './helpers/server.ts';
import { openWs } from './helpers/ws.ts';

const prettyHead = /^\d{2}:\d{2}:\d{2}\.\d{3} (TRACE|DEBUG|INFO |WARN |ERROR|FATAL) /;

for (const format of logFormats) {
  describe(`no secret in a log line (KOMARI_LOG_FORMAT=${format})`, () => {
    const log = new LogCapture();
    let s: TestServer;
    let cookie: string;
    let node: { uuid: string; token: string };
    const apiKey = randomBytes(20).toString('hex');

    before(async () => {
      ({ s, cookie } = await startWithAdmin({ env: { KOMARI_LOG_LEVEL: 'info', KOMARI_LOG_FORMAT: format }, logStream: log }));
      node = await addNode(s, cookie, `logged-${format}`);
      assert.equal((await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { api_key: apiKey } })).status, 200);
    });
    after(() => s.dispose());

    it('agent tokens, Authorization headers, login passwords and 2FA codes, session cookies and API keys stay out', async () => {
      const ws = s.url.replace(/^http/, 'ws');
      assert.equal((await http(s.url, `/api/clients/report?token=${node.token}`, { method: 'POST', body: sampleReport() })).status, 200);
      await http(s.url, '/api/clients/report', { method: 'POST', body: sampleReport(), headers: { authorization: `Bearer ${node.token}` } });
      assert.equal((await http(s.url, '/api/admin/session/get', { headers: { authorization: `Bearer ${apiKey}` } })).status, 200);
      await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: 'wrong-password-4471', '2fa_code': '135791' } });
      // a body that does not parse: the parser's message quotes it, and the answer may, the log may not
      await http(s.url, '/api/login', { method: 'POST', body: `{"username":"admin","password":"malformed-pw-8812"` });
      const login = await http(s.url, '/api/login', { method: 'POST', body: { username: s.adminUsername, password: s.adminPassword } });
      const fresh = sessionCookieOf(login.headers);
      assert.ok(fresh);
      assert.equal((await http(s.url, '/api/me', { cookie: fresh })).json.logged_in, true);
      await http(s.url, `/api/admin/client/list?2fa_code=246810&api_key=${apiKey}`, { cookie });
      const socket = await openWs(`${ws}/api/rpc2?token=${node.token}`, { Origin: s.url, cookie: `session_token=${fresh}` });
      socket.close();
      await http(s.url, '/api/version?sentinel=done');
      await eventually(() => log.text.includes('sentinel=done'), 10_000);

      const secrets = [node.token, apiKey, 'wrong-password-4471', 'malformed-pw-8812', s.adminPassword, '135791', '246810', cookie, fresh];
      for (const secret of secrets) assert.ok(!log.text.includes(secret), `${secret} is in the log`);
      assert.ok(log.text.includes('/api/clients/report?token=***'), 'the report request is logged, its token cut');
      assert.ok(log.text.includes('/api/login'), 'the logins are logged');
      if (format === 'json') {
        for (const l of log.lines) assert.equal(typeof JSON.parse(l), 'object', l);
      } else {
        for (const l of log.lines) if (!l.startsWith('    ')) assert.match(l, prettyHead); // an error's stack is indented
      }
    });
  });
}

describe('objects a handler logs by mistake lose their secret keys', () => {
  for (const format of logFormats) {
    it(`in ${format} lines: passwords, tokens, API keys, 2FA codes, cookies and Authorization headers are ***`, async () => {
      const out = new LogCapture();
      const app = Fastify({ logger: loggerOptions({ level: 'info', format, color: false }, out) });
      // One object a line: a pretty line shows its first fields only, every one must be shown here.
      const logged: Array<Record<string, unknown>> = [
        { password: 'pw-top-1', token: 'tok-top-2', '2fa_code': '112233' },
        { body: { password: 'pw-body-3', new_password: 'pw-new-4', '2fa_code': '445566' } },
        { body: { api_key: 'key-5', session_token: 'sess-6' } },
        { headers: { authorization: 'Bearer hdr-7', cookie: 'session_token=ck-8', 'set-cookie': 'session_token=ck-9' } },
        { req: { headers: { authorization: 'Bearer hdr-10', cookie: 'ck-11' } } },
        { oauth: { client_secret: 'cs-12', secret: 'sec-13' }, kept: 'visible-14' },
      ];
      for (const o of logged) app.log.info(o, 'logged by mistake');
      await app.close();
      await eventually(() => out.lines.length === logged.length);
      for (const secret of ['pw-top-1', 'tok-top-2', '112233', 'pw-body-3', 'pw-new-4', '445566', 'key-5', 'sess-6', 'hdr-7', 'ck-8', 'ck-9', 'hdr-10', 'ck-11', 'cs-12', 'sec-13']) {
        assert.ok(!out.text.includes(secret), `${secret} is in: ${out.text}`);
      }
      assert.ok(out.text.includes('body.password=***') || out.text.includes('"password":"***"'), out.text);
      assert.ok(out.text.includes('visible-14'));
    });
  }
});
