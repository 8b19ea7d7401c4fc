import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf } from '../../server/test/helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { agentNodeFlags, buildAgent, isBuildFresh } from '../scripts/build.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

// Built into a temp directory outside the repository: the bundle must run without node_modules
// beside it, and the test leaves packages/agent/dist to scripts/start.sh.
describe('the built agent (scripts/build.ts → komari-agent.cjs, what the local agent runs)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'komari-agent-build-'));
  const out = join(dir, 'komari-agent.cjs');
  let s: TestServer;
  let cookie: string;
  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    await buildAgent(out);
  });
  after(async () => {
    await s.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is one file that registers this host and reports with its Node flags, and SIGTERM stops it (exit 0)', async () => {
    const node = await addNode(s, cookie, 'built-agent');
    const child = spawn(process.execPath, [...agentNodeFlags, out, '-e', s.url, '-t', node.token, '-i', '1'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    try {
      await eventually(async () => (await feedOf(s.url)).data[node.uuid] !== undefined, 15_000);
      assert.ok((await feedOf(s.url)).data[node.uuid].ram.total > 0, 'real figures from this host');
      // basic info carries the package version, imported into the bundle at build time
      await eventually(async () => {
        const list = (await http(s.url, '/api/admin/client/list', { cookie })).json as any[];
        return list.find((n) => n.uuid === node.uuid)?.version === pkg.version;
      }, 10_000);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /SIGTERM: stopping/);
  });

  it('is fresh once built and stale when older than its sources', () => {
    assert.equal(isBuildFresh(join(dir, 'missing.cjs')), false);
    assert.equal(isBuildFresh(out), true);
    utimesSync(out, new Date(0), new Date(0));
    assert.equal(isBuildFresh(out), false);
  });
});
