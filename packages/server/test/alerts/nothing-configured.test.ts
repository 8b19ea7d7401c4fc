import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { http, startWithAdmin } from '../helpers/server.ts';

describe('nothing configured to send with', () => {
  it('an automatic alert (a login) is recorded and sent nowhere; a test send says what is wrong', async () => {
    const { s, cookie } = await startWithAdmin();
    try {
      // startWithAdmin logged in once: that Login alert had no channel to go to.
      await s.ctx.alerts.idle();
      const hist = await http(s.url, '/api/admin/alerts/history', { cookie });
      const login = hist.json.data.items.find((r: { event: string }) => r.event === 'Login');
      assert.ok(login, 'the login is in the history');
      assert.deepEqual(login.results, []);
      const logs = JSON.stringify((await http(s.url, '/api/admin/logs?limit=100', { cookie })).json);
      assert.ok(!logs.includes('Failed to send event message'), 'no failure audited for it');
      const test = await http(s.url, '/api/admin/test/sendMessage', { method: 'POST', cookie });
      assert.equal(test.status, 500);
      assert.equal(test.json.message, 'Failed to send message: you are using an empty message sender, please check your configuration');
    } finally {
      await s.dispose();
    }
  });
});
