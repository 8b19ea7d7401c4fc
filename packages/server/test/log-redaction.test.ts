import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { redactSecrets } from '../src/http/redact-url.ts';
import { addNode, eventually, sampleReport } from './helpers/agent-common.ts';
import { spawnCliServer } from './helpers/cli.ts';
import { LogCapture } from './helpers/log-capture.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { openWs, upgradeStatus } from './helpers/ws.ts';

describe('secrets never reach the request log', () => {
  const log = new LogCapture();
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };

  before(async () => {
    ({ s, cookie } = await startWithAdmin({ env: { KOMARI_LOG_LEVEL: 'info' }, logStream: log }));
    node = await addNode(s, cookie, 'logged');
  });
  after(() => s.dispose());

  it('query tokens, 2FA codes, OAuth codes and states, API keys and credential headers are logged as ***', async () => {
    const ws = s.url.replace(/^http/, 'ws');
    const post = await http(s.url, `/api/clients/report?token=${node.token}`, { method: 'POST', body: sampleReport() });
    assert.equal(post.status, 200);
    const agent = await V1Agent.connect(s, node.token);
    await agent.close();
    assert.equal(await upgradeStatus(`${ws}/api/clients/report?token=ws-bogus-token-7781`), 401);
    await http(s.url, '/api/clients/report?Authorization=query-auth-5531', { method: 'POST', body: sampleReport() });
    await http(s.url, '/api/admin/client/list?2fa_code=483920&two_factor_code=592013&otp=610427', { cookie });
    await http(s.url, '/api/oauth_callback?code=oauth-code-9932&state=oauth-state-1187');
    await http(s.url, '/api/nodes?API_KEY=api-key-4419&Token=mixed-case-2231', {
      headers: { authorization: 'Bearer header-secret-6612', cookie: 'session_token=cookie-secret-3390' },
    });
    const rpcSocket = await openWs(`${ws}/api/rpc2?token=rpc-socket-token-8812`, { Origin: s.url });
    rpcSocket.close();
    await http(s.url, '/api/version?sentinel=done');
    await eventually(() => log.text.includes('sentinel=done'));

    const secrets = [
      node.token, 'ws-bogus-token-7781', 'query-auth-5531', '483920', '592013', '610427', 'oauth-code-9932',
      'oauth-state-1187', 'api-key-4419', 'mixed-case-2231', 'header-secret-6612', 'cookie-secret-3390', 'rpc-socket-token-8812',
    ];
    for (const secret of secrets) assert.ok(!log.text.includes(secret), `${secret} is in the log`);
    for (const marker of ['?token=***', '?Authorization=***', '?2fa_code=***&two_factor_code=***&otp=***', '?code=***&state=***', '?API_KEY=***&Token=***']) {
      assert.ok(log.text.includes(marker), `${marker} is not in the log`);
    }
  });

  it('a share link’s temp_key (it opens a private site) is logged as ***, on a page load and on any route', async () => {
    await http(s.url, '/?temp_key=share-key-7741');
    await http(s.url, '/api/public?x=1&temp_key=share-key-7742');
    await http(s.url, '/api/version?sentinel=share');
    await eventually(() => log.text.includes('sentinel=share'));
    assert.ok(!log.text.includes('share-key-774'), 'a share key is in the log');
    assert.ok(log.text.includes('/?temp_key=***') && log.text.includes('&temp_key=***'));
  });

  it('the komari server process writes the same redacted lines to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'komari-log-'));
    const cli = await spawnCliServer(join(dir, 'komari.db'), { KOMARI_LOG_LEVEL: 'info', ADMIN_PASSWORD: 'log-pw-1' });
    try {
      await http(cli.url, '/api/nodes?token=cli-secret-5120');
      await http(cli.url, '/api/version?sentinel=cli');
      await eventually(() => cli.stdout().includes('sentinel=cli'));
      assert.ok(cli.stdout().includes('/api/nodes?token=***'));
      assert.ok(!cli.stdout().includes('cli-secret-5120'));
      // ADMIN_PASSWORD's value is the operator's: the banner names the variable, never the value.
      assert.ok(cli.stdout().includes('Admin account created: admin, with the password of ADMIN_PASSWORD.'));
      assert.ok(!cli.stdout().includes('log-pw-1') && !cli.stderr().includes('log-pw-1'));
    } finally {
      await cli.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('redactSecrets keeps everything but secret values, in URLs and in free text', () => {
    assert.equal(redactSecrets('/api/records/load?uuid=abc&hours=1'), '/api/records/load?uuid=abc&hours=1');
    assert.equal(redactSecrets('/x?%74oken=t1&a=1#frag'), '/x?%74oken=***&a=1#frag');
    assert.equal(redactSecrets('dial ws://h/api/clients/report?token=t2 failed: EOF'), 'dial ws://h/api/clients/report?token=*** failed: EOF');
    assert.equal(redactSecrets('{"url":"/api/login?otp=123456"}'), '{"url":"/api/login?otp=***"}');
    assert.equal(redactSecrets('a=b c=d'), 'a=b c=d');
    assert.equal(redactSecrets('/api/clients/transfer/x?token=t&transfer_token=tt'), '/api/clients/transfer/x?token=***&transfer_token=***');
    assert.equal(redactSecrets('/api/preview/client/u/file/download?preview_token=p&filename=a'), '/api/preview/client/u/file/download?preview_token=***&filename=a');
  });
});
