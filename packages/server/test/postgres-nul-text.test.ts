import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode } from './helpers/agent-common.ts';
import { freshPgSchema, pgSkipReason, testPgUrl } from './helpers/postgres.ts';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

const nul = 'bad\u0000name';

describe('text with a NUL character on PostgreSQL (which refuses it; SQLite keeps it)', { skip: testPgUrl ? undefined : pgSkipReason }, () => {
  let schema: Awaited<ReturnType<typeof freshPgSchema>>;
  let s: TestServer;
  let cookie = '';
  let node = { uuid: '', token: '' };

  before(async () => {
    schema = await freshPgSchema();
    s = await startTestServer({ pg: { url: testPgUrl, schema: schema.schema } });
    cookie = await s.login();
    node = await addNode(s, cookie, 'clean');
  });
  after(async () => {
    await s?.dispose();
    await schema?.drop();
  });

  it('an admin edit is refused with 400 and a message, and the node is unchanged', async () => {
    const res = await http(s.url, `/api/admin/client/${node.uuid}/edit`, { method: 'POST', cookie, body: { name: nul } });
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /NUL/);
    assert.equal((await s.ctx.store.nodes.get(node.uuid))?.name, 'clean');
  });

  it('an agent\'s basic info is refused with 400, and the server goes on', async () => {
    const res = await http(s.url, `/api/clients/uploadBasicInfo?token=${node.token}`, { method: 'POST', body: { cpu_name: nul, os: 'linux', arch: 'amd64' } });
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /NUL/);
    const ok = await http(s.url, `/api/clients/uploadBasicInfo?token=${node.token}`, { method: 'POST', body: { cpu_name: 'fine', os: 'linux', arch: 'amd64' } });
    assert.equal(ok.status, 200, ok.text);
  });

  it('a setting holding one is kept as sent (settings are stored as JSON, where it is escaped)', async () => {
    const res = await http(s.url, '/api/admin/settings', { method: 'POST', cookie, body: { sitename: nul } });
    assert.equal(res.status, 200, res.text);
    assert.equal((await http(s.url, '/api/public')).json.data.sitename, nul);
  });
});
