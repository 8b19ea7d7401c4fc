import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, feedOf } from '../../server/test/helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { startAgent, type TestAgent } from './helpers/transport.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('agent transport: auto-discovery registration (agent-protocol.md §9)', () => {
  const key = 'discovery-key-0123456789';
  const dir = mkdtempSync(join(tmpdir(), 'komari-discovery-'));
  const file = join(dir, 'auto-discovery.json');
  let s: TestServer;
  let cookie: string;
  let agent: TestAgent | undefined;

  const nodes = async () => (await http(s.url, '/api/admin/client/list', { cookie })).json as any[];

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    const res = await http(s.url, '/api/admin/settings/', { method: 'POST', cookie, body: { auto_discovery_key: key } });
    assert.equal(res.status, 200, res.text);
  });
  after(async () => {
    await agent?.transport.stop();
    await s.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('without a token, registers as Auto-<hostname>, keeps uuid and token in the file, and reports', async () => {
    agent = startAgent(s.url, '', ['--auto-discovery', key], { discoveryFile: file });
    await eventually(async () => (await nodes()).length === 1, 5000);
    const [node] = await nodes();
    assert.equal(node.name, `Auto-${hostname()}`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { uuid: node.uuid, token: node.token });
    await eventually(async () => (await feedOf(s.url)).online.includes(node.uuid), 10_000);
  });

  it('on a later start, reuses the kept token instead of registering again', async () => {
    await agent!.transport.stop();
    agent = startAgent(s.url, '', ['--auto-discovery', key], { discoveryFile: file });
    await eventually(() => agent!.transport.state === 'socket-v2', 10_000);
    assert.equal((await nodes()).length, 1);
  });

  it('keeps retrying, without crashing, while the key is refused', async () => {
    await agent!.transport.stop();
    rmSync(file);
    agent = startAgent(s.url, '', ['--auto-discovery', 'wrong-key-0123456789'], { discoveryFile: file });
    await eventually(() => agent!.log.lines.filter((l) => l.includes('registration failed: HTTP 403')).length >= 2, 5000);
    assert.equal((await nodes()).length, 1);
  });
});
