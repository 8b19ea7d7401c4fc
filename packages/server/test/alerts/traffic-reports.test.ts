import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ingestReport, parseReport } from '../../src/agents/ingest.ts';
import { addNode, sampleReport } from '../helpers/agent-common.ts';
import { answerJson, startCaptureServer } from '../helpers/capture-server.ts';
import { ManualClock } from '../helpers/clock.ts';
import { http, startWithAdmin } from '../helpers/server.ts';

// Komari's traffic reports (notifications.md §8): the routes its admin UI calls, their checks,
// and the daily and weekly report after local midnight of a Monday.

describe('traffic reports', () => {
  it('routes and checks as Komari; the previous day and week reported after Monday 00:00', async () => {
    const hook = await startCaptureServer((_r, res) => answerJson(res, 200, {}));
    // Sunday 6 December 2026, 23:00 local.
    const clock = new ManualClock(new Date(2026, 11, 6, 23, 0).getTime());
    const { s, cookie } = await startWithAdmin({ clock });
    try {
      await http(s.url, '/api/admin/alerts/channels/add', {
        method: 'POST',
        cookie,
        body: { name: 'hook', kind: 'webhook', config: { url: hook.url, method: 'POST', content_type: 'text/plain', body: '{{message}}' }, template: '{{event}}|{{message}}' },
      });
      const n = await addNode(s, cookie, 'alpha');
      const post = (path: string, body: unknown) => http(s.url, `/api/admin/notification/traffic-report/${path}`, { method: 'POST', cookie, body });

      assert.deepEqual((await post('edit', [])).json, { status: 'error', message: 'At least one notification is required' });
      assert.equal((await post('edit', [{ client: '', enable: true, daily: true }])).json.message, 'client UUID cannot be empty');
      assert.equal((await post('edit', [{ client: n.uuid, enable: true }])).json.message, 'at least one cadence must be selected when enabling traffic reports');
      const enableEmpty = await post('enable', [n.uuid]);
      assert.equal(enableEmpty.status, 500);
      assert.equal(enableEmpty.json.message, 'at least one cadence must be selected when enabling traffic reports');
      assert.deepEqual((await http(s.url, '/api/admin/notification/traffic-report/', { cookie })).json.data, [], 'nothing was saved by the refusals');

      assert.equal((await post('edit', [{ client: n.uuid, enable: false, daily: true, weekly: true }])).status, 200);
      assert.equal((await post('enable', [n.uuid])).status, 200);
      const list = await http(s.url, '/api/admin/notification/traffic-report', { cookie });
      assert.equal(list.json.data[0].enable, true);
      assert.equal(list.json.data[0].client_info.uuid, n.uuid);

      await s.ctx.jobs.run('alerts.traffic-report');
      await s.ctx.alerts.idle();
      assert.equal(hook.seen.length, 0, 'the first start only marks the periods');

      const mib = 1024 * 1024;
      for (let i = 0; i <= 300; i++) {
        clock.advance(10_000);
        ingestReport(s.ctx, n.uuid, parseReport(sampleReport({ network: { up: 0, down: 0, totalUp: i * mib, totalDown: 0 } })), { presence: true });
      }
      clock.set(new Date(2026, 11, 7, 0, 1).getTime());
      await s.ctx.jobs.run('alerts.traffic-report');
      await s.ctx.alerts.idle();
      assert.deepEqual(hook.seen.map((r) => r.body).sort(), ['DReport|alpha昨日流量：300.00 MB', 'WReport|alpha上周流量：300.00 MB']);
      await s.ctx.jobs.run('alerts.traffic-report');
      await s.ctx.alerts.idle();
      assert.equal(hook.seen.length, 2, 'once per period');
    } finally {
      await s.dispose();
      await hook.close();
    }
  });
});
