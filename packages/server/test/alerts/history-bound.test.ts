import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { http, startWithAdmin } from '../helpers/server.ts';

describe('alert history bound', () => {
  it('maintenance keeps the newest `historyKeep` closed records and every open incident', async () => {
    const { s, cookie } = await startWithAdmin({ limits: { alerts: { historyKeep: 3 } } });
    try {
      await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { notification_enabled: false } });
      const incident = await s.ctx.alerts.fire({ kind: 'custom', event: 'Alert', emoji: '⚠️', message: 'still firing', nodes: [], incidentOf: 'x' });
      for (let i = 0; i < 6; i++) await s.ctx.alerts.fire({ kind: 'custom', event: 'Custom', emoji: '', message: `n${i}`, nodes: [] });
      await s.ctx.alerts.idle();
      await s.ctx.jobs.run('maintenance');
      const hist = await http(s.url, '/api/admin/alerts/history?limit=50', { cookie });
      const messages = hist.json.data.items.map((r: { message: string }) => r.message);
      assert.deepEqual(messages, ['n5', 'n4', 'n3', 'still firing']);
      assert.equal(hist.json.data.total, 4);
      assert.ok(hist.json.data.items.find((r: { id: number }) => r.id === incident).open);
    } finally {
      await s.dispose();
    }
  });
});
