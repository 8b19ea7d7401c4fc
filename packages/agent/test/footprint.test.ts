import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { addNode, eventually, feedOf } from '../../server/test/helpers/agent-common.ts';
import { agentNodeFlags } from '../scripts/build.ts';
import { spawnAgent, withBuiltAgent } from './helpers/agent-process.ts';

/**
 * Node's own modules a process loaded, as `process.moduleLoadList` names them ("NativeModule tls",
 * "Internal Binding tcp_wrap", …), read when the process exits.
 *
 * Names as of Node 24: _tls_wrap is internal/tls/wrap; node:https loads the _http_* modules but not
 * node:http itself, so those are listed too. Not checked: the ES module loader
 * (internal/modules/esm/loader), which Node 24 loads at bootstrap for every script, CommonJS or
 * not, so the list cannot tell whether the agent started it.
 */
const notNeeded = [
  'NativeModule tls',
  'NativeModule internal/tls/wrap',
  'NativeModule internal/tls/secure-context',
  'NativeModule http',
  'NativeModule https',
  'NativeModule _http_agent',
  'NativeModule _http_client',
  'NativeModule _http_server',
  'NativeModule crypto',
  'NativeModule child_process',
  'NativeModule internal/child_process',
  'NativeModule dns',
  'NativeModule dns/promises',
  'NativeModule internal/dns/promises',
  'Internal Binding tls_wrap',
  'Internal Binding crypto',
  'Internal Binding http_parser',
  'Internal Binding process_wrap',
  'Internal Binding spawn_sync',
];
/** What reporting over plain HTTP does need: seeing them proves the list is the agent's real one. */
const needed = ['NativeModule net', 'NativeModule zlib'];

/** A -r preload that writes process.moduleLoadList to `out` when the process exits (it loads nothing itself). */
function writePreload(dir: string, out: string): string {
  const path = join(dir, 'module-list.cjs');
  writeFileSync(path, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, process.moduleLoadList.join('\\n')));\n`);
  return path;
}

function loadedBy(out: string): Set<string> {
  return new Set(readFileSync(out, 'utf8').split('\n'));
}

describe('the agent’s RSS budget: the modules the built agent loads', () => {
  const built = withBuiltAgent('komari-agent-footprint-');

  it('loads no module it does not need for reporting over plain HTTP (tls, http(s), crypto, child_process, dns)', async () => {
    const { s, cookie, bundle, dir } = built;
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'plain http to an IP: no TLS, no DNS lookup');
    const node = await addNode(s, cookie, 'footprint-agent');
    const out = join(dir, 'agent-modules.txt');
    const preload = writePreload(dir, out);
    const agent = spawnAgent([...agentNodeFlags, '-r', preload, bundle, '-e', s.url, '-t', node.token, '-i', '1'], { cwd: dir });
    let code: number | null;
    try {
      // online, with at least two reports (each one stamps a new updated_at)
      const stamps = new Set<string>();
      await eventually(async () => {
        const feed = await feedOf(s.url);
        const report = feed.data[node.uuid] as { updated_at?: string } | undefined;
        if (report?.updated_at) stamps.add(report.updated_at);
        return feed.online.includes(node.uuid) && stamps.size >= 2;
      }, 15_000);
    } finally {
      code = await agent.stop();
    }
    assert.equal(code, 0, agent.stderr);

    const loaded = loadedBy(out);
    assert.deepEqual(needed.filter((m) => !loaded.has(m)), [], 'the list holds what the agent needs');
    assert.deepEqual(notNeeded.filter((m) => loaded.has(m)), [], `modules the agent should not load\n${agent.stderr}`);
  });

  it('the module list sees a module a process loads (control: node:tls required by hand)', async () => {
    const { dir } = built;
    const out = join(dir, 'control-modules.txt');
    const child = spawn(process.execPath, ['-r', writePreload(dir, out), '-e', "require('node:tls')"], { stdio: 'ignore' });
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    const loaded = loadedBy(out);
    assert.ok(loaded.has('NativeModule tls'));
    assert.ok(loaded.has('NativeModule internal/tls/wrap'));
    assert.ok(loaded.has('NativeModule crypto'), 'node:tls loads node:crypto');
  });
});
