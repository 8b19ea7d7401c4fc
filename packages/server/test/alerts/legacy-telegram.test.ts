import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerJson, startCaptureServer } from '../helpers/capture-server.ts';
import { http, startWithAdmin } from '../helpers/server.ts';

describe("Komari 0.0.x's telegram settings", () => {
  it('telegram_* keys saved through /api/admin/settings become the active telegram sender', async () => {
    const tg = await startCaptureServer((_r, res) => answerJson(res, 200, { ok: true, result: {} }));
    const { s, cookie } = await startWithAdmin();
    try {
      const save = await http(s.url, '/api/admin/settings', {
        method: 'POST',
        cookie,
        body: { notification_enabled: true, telegram_enabled: true, telegram_bot_token: '123456:legacy-token', telegram_chat_id: '-1001', telegram_endpoint: `${tg.url}/bot` },
      });
      assert.equal(save.status, 200, save.text);
      await s.ctx.alerts.idle();
      const sender = await http(s.url, '/api/admin/settings/message-sender?provider=telegram', { cookie });
      assert.deepEqual(JSON.parse(sender.json.data.addition), { bot_token: '123456:legacy-token', chat_id: '-1001', message_thread_id: '', endpoint: `${tg.url}/bot` });
      const sent = await http(s.url, '/api/admin/test/sendMessage', { method: 'POST', cookie });
      assert.equal(sent.status, 200, sent.text);
      assert.equal(tg.seen.length, 1);
      assert.equal(tg.seen[0]!.url.pathname, '/bot123456:legacy-token/sendMessage');
      assert.equal(new URLSearchParams(tg.seen[0]!.body).get('chat_id'), '-1001');
    } finally {
      await s.dispose();
      await tg.close();
    }
  });
});
