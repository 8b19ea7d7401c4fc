import assert from 'node:assert/strict';
import { readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addNode, eventually, feedOf } from '../../server/test/helpers/agent-common.ts';
import { http } from '../../server/test/helpers/server.ts';
import { agentNodeFlags, isBuildFresh } from '../scripts/build.ts';
import { spawnAgent, withBuiltAgent } from './helpers/agent-process.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the built agent (scripts/build.ts → komari-agent.cjs, what the local agent runs)', () => {
  const built = withBuiltAgent('komari-agent-build-');

  it('is one file that registers this host and reports with its Node flags, and SIGTERM stops it (exit 0)', async () => {
    const { s, cookie, bundle: out, dir } = built;
    const node = await addNode(s, cookie, 'built-agent');
    const agent = spawnAgent([...agentNodeFlags, out, '-e', s.url, '-t', node.token, '-i', '1'], { cwd: dir });
    let code: number | null;
    try {
      await eventually(async () => (await feedOf(s.url)).data[node.uuid] !== undefined, 15_000);
      assert.ok((await feedOf(s.url)).data[node.uuid].ram.total > 0, 'real figures from this host');
      // basic info carries the package version, imported into the bundle at build time
      await eventually(async () => {
        const list = (await http(s.url, '/api/admin/client/list', { cookie })).json as any[];
        return list.find((n) => n.uuid === node.uuid)?.version === pkg.version;
      }, 10_000);
    } finally {
      code = await agent.stop();
    }
    assert.equal(code, 0, agent.stderr);
    assert.match(agent.stderr, /SIGTERM: stopping/);
  });

  it('is fresh once built and stale when older than its sources', () => {
    const { bundle: out, dir } = built;
    assert.equal(isBuildFresh(join(dir, 'missing.cjs')), false);
    assert.equal(isBuildFresh(out), true);
    utimesSync(out, new Date(0), new Date(0));
    assert.equal(isBuildFresh(out), false);
  });
});
