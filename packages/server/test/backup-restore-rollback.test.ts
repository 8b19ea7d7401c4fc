import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually } from './helpers/agent-common.ts';
import { afterRestore, downloadBackup, post, sendChunk, uploadBackup } from './helpers/restore.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';

// A restore whose new data does not come up puts the old files back and starts the old app again
// on the same port; the outcome says so. One restore at a time: a second is refused while the
// lock is held. The failure is injected where the restored app would be built.

describe('restore rollback and lock', () => {
  let s: TestServer;
  let cookie: string;
  let kept: { uuid: string; token: string };
  let later: { uuid: string; token: string };
  let archive: Buffer;
  let failNext = false;
  let port: number;

  before(async () => {
    ({ s, cookie } = await startWithAdmin({
      beforeRebuild: (which) => {
        if (which === 'restored' && failNext) throw new Error('injected failure');
      },
    }));
    kept = await addNode(s, cookie, 'in-the-backup');
    archive = await downloadBackup(s, cookie);
    later = await addNode(s, cookie, 'added-after-the-backup');
    port = (s.fastify.server.address() as { port: number }).port;
  });
  after(() => s.dispose());

  it('a swap that fails to come up is rolled back: the previous data serves again, on the same port', async () => {
    failNext = true;
    const app = s.fastify;
    const res = await uploadBackup(s, cookie, archive);
    assert.equal(res.status, 200, res.text);
    const { cookie: again, status } = await afterRestore(s);
    failNext = false;
    assert.notEqual(s.fastify, app, 'the app was rebuilt');
    assert.equal((s.fastify.server.address() as { port: number }).port, port);
    assert.deepEqual(
      { ok: status.last.ok, kind: status.last.kind, message: status.last.message },
      { ok: false, kind: 'komari-ts', message: 'restore failed, the previous data is back: injected failure' },
    );
    cookie = again;
    const list = await http(s.url, '/api/admin/client/list', { cookie });
    assert.deepEqual(list.json.map((n: { uuid: string }) => n.uuid).sort(), [kept.uuid, later.uuid].sort());
    const agent = await V1Agent.connect(s, later.token);
    agent.report({ cpu: { usage: 5 } });
    await eventually(() => s.ctx.live.latest(later.uuid)?.report.cpu.usage === 5);
    await agent.close();
    assert.deepEqual(readdirSync(s.dir).filter((f) => f.startsWith('.restore-')), []);
    assert.equal(readdirSync(join(s.dir, 'backup')).filter((f) => f.startsWith('pre-restore-')).length, 1);
    const logs = await http(s.url, '/api/admin/logs?limit=5', { cookie });
    assert.ok(JSON.stringify(logs.json).includes('restore failed, the previous data is back: injected failure'));
  });

  it('the lock was released: the same archive restores now', async () => {
    const res = await uploadBackup(s, cookie, archive);
    assert.equal(res.status, 200, res.text);
    const { cookie: again, status } = await afterRestore(s);
    assert.equal(status.last.ok, true);
    cookie = again;
    const list = await http(s.url, '/api/admin/client/list', { cookie });
    assert.deepEqual(list.json.map((n: { uuid: string }) => n.uuid), [kept.uuid]);
    assert.equal(existsSync(join(s.dir, 'backup.zip')), false);
  });

  it('while a restore holds the lock, a second merge is refused (400) and its upload cancelled', async () => {
    const init = await post(s, cookie, '/api/admin/upload/init', { purpose: 'backup', size: archive.length, filename: 'b.zip' });
    const { upload_id, chunk_size } = init.json.data;
    for (let i = 0; i * chunk_size < archive.length; i++) {
      await sendChunk(s, cookie, { upload_id, chunk_index: String(i), chunk_data: archive.subarray(i * chunk_size, (i + 1) * chunk_size) });
    }
    assert.ok(s.ctx.restore.lock.acquire());
    try {
      const res = await post(s, cookie, '/api/admin/upload/merge', { upload_id });
      assert.deepEqual([res.status, res.json], [400, { status: 'error', message: 'another restore operation is already in progress' }]);
      assert.equal(existsSync(join(s.dir, '.uploads', upload_id)), false);
      const status = await http(s.url, '/api/admin/backup/status', { cookie });
      assert.equal(status.json.data.restoring, true);
    } finally {
      s.ctx.restore.lock.release();
    }
    const direct = await uploadBackup(s, cookie, archive);
    assert.equal(direct.status, 200, 'released, a restore is accepted again');
    await afterRestore(s);
  });
});
