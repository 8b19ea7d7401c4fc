import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf } from '../../server/test/helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { spawnAgent } from './helpers/agent-process.ts';

const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('main.ts: the agent process', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => ({ s, cookie } = await startWithAdmin()));
  after(() => s.dispose());

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`reports this host with the real collector, and ${signal} stops it cleanly (exit 0)`, async () => {
      const node = await addNode(s, cookie, `main-${signal}`);
      const agent = spawnAgent([mainPath, '-e', s.url, '-t', node.token, '-i', '1']);
      let stopping: Promise<number | null>;
      let started: number;
      try {
        await eventually(async () => (await feedOf(s.url)).data[node.uuid] !== undefined, 10_000);
        const feed = await feedOf(s.url);
        assert.ok(feed.online.includes(node.uuid));
        assert.ok(feed.data[node.uuid].ram.total > 0);
      } finally {
        started = Date.now();
        stopping = agent.stop(signal);
      }
      const code = await stopping;
      assert.equal(code, 0, agent.stderr);
      assert.ok(Date.now() - started < 3000, 'stops within 3 s');
      assert.match(agent.stderr, new RegExp(`${signal}: stopping`));
    });
  }
});
