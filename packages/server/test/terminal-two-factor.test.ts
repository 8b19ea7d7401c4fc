import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateTotpSecret, totpCode } from '../src/auth/totp.ts';
import { addNode, eventually } from './helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from './helpers/server.ts';
import { browserTerminal, refusedUpgrade, terminalRequestId } from './helpers/terminal.ts';
import { V1Agent } from './helpers/v1-agent.ts';
import { wrongCode } from './helpers/totp.ts';

describe('web terminal sensitive 2FA re-check (auth.md §7)', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let main: V1Agent;
  let secret: string;
  const url = (query: string) => `${s.url.replace(/^http/, 'ws')}/api/admin/client/${node.uuid}/terminal${query}`;
  const headers = () => ({ Origin: s.url, cookie: `session_token=${cookie}` });

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'terminal-node');
    main = await V1Agent.connect(s, node.token);
    main.report();
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined);
    const account = await s.ctx.store.accounts.first();
    secret = generateTotpSecret();
    await s.ctx.store.accounts.update(account!.uuid, { twoFactor: secret }, Date.now());
  });
  after(async () => {
    await main.close();
    await s.dispose();
  });

  it('refuses the upgrade with 401 when 2FA is on and no code is given, and the agent is not asked', async () => {
    const res = await refusedUpgrade(url(''), headers());
    assert.deepEqual(res, { status: 401, json: { status: 'error', message: '2FA code is required' } });
    assert.equal(s.ctx.terminal.size, 0);
  });

  it('refuses a wrong code with 401 Invalid 2FA code', async () => {
    const res = await refusedUpgrade(url(`?2fa_code=${wrongCode(secret)}`), headers());
    assert.deepEqual(res, { status: 401, json: { status: 'error', message: 'Invalid 2FA code' } });
  });

  for (const key of ['2fa_code', 'otp']) {
    it(`opens the terminal with the right code in ?${key}=`, async () => {
      // A code is good once: the second run uses the next step's code (accepted with skew +1).
      const at = Date.now() + (key === 'otp' ? 30_000 : 0);
      const browser = await browserTerminal(s, cookie, node.uuid, `?${key}=${totpCode(secret, at)}`);
      await terminalRequestId(main);
      await browser.expectText('等待被控端连接 waiting for agent...\n');
      browser.ws.close();
      await browser.closed;
    });
  }
});
