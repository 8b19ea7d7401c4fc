import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addNode } from './helpers/agent-common.ts';
import { FileAgent } from './helpers/file-agent.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';

const gateA = { status: 'error', message: 'Private site is enabled, please login first.' };

/**
 * A private site keeps guests out of every /api path but a few; the file preview's token is a
 * capability of its own (one path of one node, 10 minutes), so a guest holding one downloads.
 */
describe('file preview download on a private site', () => {
  let s: TestServer;
  let cookie: string;
  let root: string;
  let agent: FileAgent;
  let node: { uuid: string; token: string };
  const preview = (uuid: string, query: string) => `/api/preview/client/${uuid}/file/download?${query}`;

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    root = mkdtempSync(join(tmpdir(), 'komari-preview-private-'));
    writeFileSync(join(root, 'note.txt'), 'previewed');
    node = await addNode(s, cookie, 'preview');
    agent = await FileAgent.connect(s.url, node.token, root);
    const set = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { private_site: true } });
    assert.equal(set.status, 200, set.text);
  });
  after(async () => {
    agent.close();
    await s.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('a guest with a valid preview token downloads without logging in', async () => {
    const t = await http(s.url, `/api/admin/client/${node.uuid}/file/preview-token?path=/note.txt`, { cookie });
    assert.equal(t.status, 200, t.text);
    const res = await http(s.url, preview(node.uuid, `preview_token=${t.json.data.token}`));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.text, 'previewed');
  });

  it('an invalid, missing or foreign-node token is the preview\'s 401, and nothing reaches the agent', async () => {
    const t = await http(s.url, `/api/admin/client/${node.uuid}/file/preview-token?path=/note.txt`, { cookie });
    const calls = agent.received.length;
    for (const path of [preview(node.uuid, 'preview_token=nope'), preview(node.uuid, ''), preview(`x${node.uuid}`, `preview_token=${t.json.data.token}`)]) {
      const res = await http(s.url, path);
      assert.equal(res.status, 401, path);
      assert.deepEqual(res.json, { status: 'error', message: 'Invalid or expired preview token' }, path);
    }
    assert.equal(agent.received.length, calls);
  });

  it('only that route opens: the rest of /api/preview and the admin routes stay closed to a guest', async () => {
    for (const path of ['/api/preview', '/api/preview/client/x/file/other', `/api/preview/client/${node.uuid}/file/download/x`]) {
      const res = await http(s.url, path);
      assert.equal(res.status, 401, path);
      assert.deepEqual(res.json, gateA, path);
    }
    const mint = await http(s.url, `/api/admin/client/${node.uuid}/file/preview-token?path=/note.txt`);
    assert.equal(mint.status, 401);
  });
});
