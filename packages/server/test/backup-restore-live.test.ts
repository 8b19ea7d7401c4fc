import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { agentSourcePath } from '../../agent/scripts/build.ts';
import { addNode, eventually } from './helpers/agent-common.ts';
import { afterRestore, downloadBackup } from './helpers/restore.ts';
import { http, resultOf, startWithAdmin, type TestServer } from './helpers/server.ts';

// A restore while agents are connected: the real komari-ts agent (its source, reconnecting every
// second) loses its socket when the app stops and reports again to the rebuilt one by itself.
// The archive goes through the older single-request route, whose answer has `path` at the top.

describe('restore while an agent is connected', () => {
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let agent: ChildProcess;

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'connected');
    agent = spawn(process.execPath, [agentSourcePath, '-e', s.url, '-t', node.token, '-i', '1', '-c', '1'], { stdio: 'ignore' });
    await eventually(() => s.ctx.live.latest(node.uuid) !== undefined, 30_000);
  });
  after(async () => {
    agent.kill('SIGKILL');
    await s.dispose();
  });

  it('the agent reports to the restored server by itself; data added after the backup is gone', async () => {
    const archive = await downloadBackup(s, cookie);
    const extra = await addNode(s, cookie, 'after-the-backup');
    const form = new FormData();
    form.append('backup', new Blob([archive]), 'backup.zip');
    const ctxBefore = s.ctx;
    const res = await resultOf(await fetch(`${s.url}/api/admin/upload/backup`, { method: 'POST', body: form, headers: { cookie: `session_token=${cookie}` } }));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, {
      status: 'success',
      message: 'Backup uploaded successfully. The service will restart and apply the backup.',
      path: './data/backup.zip',
      kind: 'komari-ts',
      applied: 'live',
    });
    ({ cookie } = await afterRestore(s));
    assert.notEqual(s.ctx, ctxBefore);
    // A new app has an empty live view: a report in it came over a new connection.
    await eventually(() => s.ctx.live.latest(node.uuid) !== undefined, 30_000);
    const list = await http(s.url, '/api/admin/client/list', { cookie });
    assert.deepEqual(list.json.map((n: { uuid: string }) => n.uuid), [node.uuid]);
    assert.ok(!list.json.some((n: { uuid: string }) => n.uuid === extra.uuid));
  });
});
