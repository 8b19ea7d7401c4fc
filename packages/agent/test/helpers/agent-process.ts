import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startWithAdmin, type TestServer } from '../../../server/test/helpers/server.ts';
import { buildAgent } from '../../scripts/build.ts';

/** An agent started as its own process (Node args, then the agent's), stderr kept. */
export interface AgentProcess {
  readonly stderr: string;
  /** Sends `signal` (SIGTERM by default); resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** `env` adds to (or replaces) the agent's environment, which is otherwise PATH alone. */
export function spawnAgent(args: string[], o: { cwd?: string; env?: Record<string, string> } = {}): AgentProcess {
  const child = spawn(process.execPath, args, { cwd: o.cwd, env: { PATH: process.env.PATH ?? '', ...o.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  return {
    get stderr() {
      return stderr;
    },
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return (await exited)[0];
    },
  };
}

/**
 * For a describe block: a real server with an admin, and the agent built into a temp directory
 * outside the repository (the bundle must run without node_modules beside it, and the tests leave
 * packages/agent/dist to scripts/start.sh). Read the fields inside tests, once `before` has run.
 */
export function withBuiltAgent(prefix: string): { readonly dir: string; readonly bundle: string; s: TestServer; cookie: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const fixture = { dir, bundle: join(dir, 'komari-agent.cjs'), s: undefined as unknown as TestServer, cookie: '' };
  before(async () => {
    ({ s: fixture.s, cookie: fixture.cookie } = await startWithAdmin());
    await buildAgent(fixture.bundle);
  });
  after(async () => {
    await fixture.s.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return fixture;
}
