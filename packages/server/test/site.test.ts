import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { http, startTestServer, type TestServer } from './helpers/server.ts';

describe('site endpoints', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.dispose());

  it('GET /ping answers plain pong for any method', async () => {
    for (const method of ['GET', 'POST', 'PUT']) {
      const res = await http(s.url, '/ping', { method });
      assert.equal(res.status, 200);
      assert.equal(res.text, 'pong');
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    }
  });

  it('GET /api/version has the seed envelope with string version and hash', async () => {
    const res = await http(s.url, '/api/version');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.json).sort(), ['data', 'message', 'status']);
    assert.equal(res.json.status, 'success');
    assert.equal(res.json.message, '');
    assert.equal(typeof res.json.data.version, 'string');
    assert.equal(typeof res.json.data.hash, 'string');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });
});
