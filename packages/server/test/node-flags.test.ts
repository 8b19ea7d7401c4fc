import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { serverMallocEnv, serverNodeFlags } from '../src/config/node-flags.ts';

describe('the server node flags', () => {
  it('scripts/start.sh starts the server with every one of them', () => {
    const script = readFileSync(new URL('../../../scripts/start.sh', import.meta.url), 'utf8');
    const exec = script.split('\n').find((l) => l.startsWith('exec node ') && l.includes('packages/server/src/cli.ts'));
    assert.ok(exec, 'start.sh execs the server');
    assert.ok(serverNodeFlags.length > 0);
    for (const flag of serverNodeFlags) assert.ok(exec.split(' ').includes(flag), `${flag} in: ${exec}`);
  });

  it("scripts/start.sh exports the malloc settings, an operator's own value first", () => {
    const script = readFileSync(new URL('../../../scripts/start.sh', import.meta.url), 'utf8');
    for (const [key, value] of Object.entries(serverMallocEnv)) {
      assert.ok(script.includes(`export ${key}="\${${key}:-${value}}"`), `${key}=${value} in start.sh`);
    }
  });
});
