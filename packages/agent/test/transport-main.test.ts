import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf } from '../../server/test/helpers/agent-common.ts';
import { startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';

const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('main.ts: the agent process', () => {
  let s: TestServer;
  let cookie: string;
  before(async () => ({ s, cookie } = await startWithAdmin()));
  after(() => s.dispose());

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`reports this host with the real collector, and ${signal} stops it cleanly (exit 0)`, async () => {
      const node = await addNode(s, cookie, `main-${signal}`);
      const child = spawn(process.execPath, [mainPath, '-e', s.url, '-t', node.token, '-i', '1'], {
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
      try {
        await eventually(async () => (await feedOf(s.url)).data[node.uuid] !== undefined, 10_000);
        const feed = await feedOf(s.url);
        assert.ok(feed.online.includes(node.uuid));
        assert.ok(feed.data[node.uuid].ram.total > 0);
      } finally {
        child.kill(signal);
      }
      const started = Date.now();
      const [code] = await exited;
      assert.equal(code, 0, stderr);
      assert.ok(Date.now() - started < 3000, 'stops within 3 s');
      assert.match(stderr, new RegExp(`${signal}: stopping`));
    });
  }
});
