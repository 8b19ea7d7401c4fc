import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { capabilitiesOf } from '../src/capabilities.ts';
import { loadAgentConfig } from '../src/config.ts';
import { handlersFor, switchVersionLine } from '../src/handlers.ts';
import { runExec } from '../src/tasks/exec.ts';
import { REDACTED, startupConfigOf } from '../src/tasks/startup-config.ts';
import { commandOfCall, commandOfFrame, eventsOf, eventsOfFrame } from '../src/transport/commands.ts';
import { fileManager, tempDir } from './helpers/files.ts';
import { MemoryLog } from './helpers/transport.ts';

const base = ['-e', 'http://127.0.0.1:1', '-t', 'node-secret-token'];

describe('--disable-web-ssh turns off every form of remote control', () => {
  const dir = tempDir('komari-disabled-');

  it('every file op answers {"ok":false,"error":"web control is disabled"} and touches nothing', async () => {
    const { run } = fileManager({ disabled: true });
    for (const op of ['list_roots', 'list', 'stat', 'mkdir', 'delete', 'read', 'write', 'create', 'download_stream', 'upload_stream', 'no_such_op']) {
      const r = await run(op, { path: join(dir, 'x') });
      assert.deepEqual(r, { uuid: 'node-1', request_id: r.request_id, ok: false, error: 'web control is disabled' }, op);
    }
    assert.equal(existsSync(join(dir, 'x')), false);
  });

  it('exec is refused as before ("Remote control is disabled.", −1)', async () => {
    assert.deepEqual(await runExec('touch /tmp/komari-never', { disabled: true }), { result: 'Remote control is disabled.', exitCode: -1 });
  });

  it('switchVersion is ignored with Komari’s line when disabled, and ignored (saying why) otherwise', () => {
    assert.equal(switchVersionLine(true, '1.5.10'), 'Ignoring v2 switch version request because remote control is disabled');
    assert.match(switchVersionLine(false, '1.5.10'), /^Ignoring v2 switch version request \("1\.5\.10"\): komari-ts agents do not update themselves/);
    const hostile = switchVersionLine(false, 'x\n'.repeat(500));
    assert.ok(hostile.length < 300 && !hostile.includes('\n'), 'a hostile version is cut and quoted on one line');
    const log = new MemoryLog();
    handlersFor(loadAgentConfig([...base, '--disable-web-ssh'], {}), log).switchVersion('stable');
    assert.deepEqual(log.lines, ['info Ignoring v2 switch version request because remote control is disabled']);
  });

  it('the handlers built from the config honour the flag for files', async () => {
    const h = handlersFor(loadAgentConfig([...base, '--disable-web-ssh'], {}), new MemoryLog());
    const r = await h.file({ uuid: 'u', requestId: 'r', op: 'mkdir', args: { path: join(dir, 'y') } }, { endpoint: 'http://x', token: 't', signal: AbortSignal.abort() });
    assert.deepEqual(r, { uuid: 'u', request_id: 'r', ok: false, error: 'web control is disabled' });
    assert.equal(existsSync(join(dir, 'y')), false);
  });
});

describe('capabilities', () => {
  it('all of them without --disable-web-ssh', () => {
    assert.deepEqual(capabilitiesOf(loadAgentConfig(base, {})), ['exec', 'ping', 'terminal', 'file', 'startup_config']);
  });

  it('no exec, terminal or file with it', () => {
    assert.deepEqual(capabilitiesOf(loadAgentConfig([...base, '--disable-web-ssh'], {})), ['ping', 'startup_config']);
    assert.deepEqual(capabilitiesOf(loadAgentConfig(base, { AGENT_DISABLE_WEB_SSH: 'true' })), ['ping', 'startup_config']);
  });
});

describe('agent.startupConfig', () => {
  it('every setting under its JSON name, flat, the token and discovery key redacted', () => {
    const root = tempDir('komari-cfg-');
    mkdirSync(join(root, 'f'));
    const config = loadAgentConfig([...base, '--auto-discovery', 'discovery-secret', '--include-nics', 'eth0,eth1', '--file-root', join(root, 'f'), '-i', '7'], {});
    const out = startupConfigOf(config);
    assert.equal(out.token, REDACTED);
    assert.equal(out.auto_discovery_key, REDACTED);
    assert.equal(out.endpoint, 'http://127.0.0.1:1');
    assert.equal(out.interval, 7);
    assert.equal(out.include_nics, 'eth0,eth1');
    assert.equal(out.file_root, join(root, 'f'));
    assert.equal(out.disable_web_ssh, false);
    for (const v of Object.values(out)) assert.ok(v === null || typeof v !== 'object', 'flat');
    const text = JSON.stringify(out);
    assert.ok(!text.includes('node-secret-token') && !text.includes('discovery-secret'), text);
  });

  it('an unset credential stays empty rather than looking set', () => {
    const out = startupConfigOf(loadAgentConfig(base, {}));
    assert.equal(out.auto_discovery_key, '');
    assert.equal(out.token, REDACTED);
  });
});

describe('commands of Komari 1.5', () => {
  it('the terminal request as a v2 event and as the v1 frame', () => {
    assert.deepEqual(commandOfCall('agent.terminal.request', { request_id: 'abc' }), { kind: 'terminal', requestId: 'abc' });
    assert.deepEqual(commandOfFrame('{"jsonrpc":"2.0","method":"agent.terminal.request","params":{"request_id":"abc"}}'), { kind: 'terminal', requestId: 'abc' });
    assert.deepEqual(commandOfFrame('{"message":"terminal","request_id":"abc"}'), { kind: 'terminal', requestId: 'abc' });
    const [e] = eventsOf({ events: [{ id: 'ev1', method: 'agent.terminal.request', params: { request_id: 'q' } }] });
    assert.deepEqual(e, { id: 'ev1', command: { kind: 'terminal', requestId: 'q' } });
  });

  it('agent.file, agent.startupConfig, agent.switchVersion; without a request id no file command', () => {
    const params = { uuid: 'u', request_id: 'ab12', op: 'list', args: { path: '/' } };
    assert.deepEqual(commandOfCall('agent.file', params), { kind: 'file', uuid: 'u', requestId: 'ab12', op: 'list', args: { path: '/' } });
    assert.deepEqual(commandOfCall('agent.file', { request_id: 'r', op: 5, args: 'x' }), { kind: 'file', uuid: '', requestId: 'r', op: '', args: {} });
    assert.equal(commandOfCall('agent.file', { op: 'list' }), undefined);
    assert.equal(commandOfCall('agent.file', { request_id: 'x'.repeat(500), op: 'list' }), undefined);
    assert.deepEqual(commandOfCall('agent.startupConfig', { request_id: 'r1' }), { kind: 'startupConfig', requestId: 'r1' });
    assert.deepEqual(commandOfCall('agent.switchVersion', { version: 7 }), { kind: 'switchVersion', version: '' });
  });

  it('a reply frame on the socket gives its events (the pull sent at connect)', () => {
    const events = eventsOfFrame('{"jsonrpc":"2.0","id":"pull-1","result":{"events":[{"id":"e1","method":"agent.exec","params":{"task_id":"t","command":"ls"}}]}}');
    assert.deepEqual(events, [{ id: 'e1', command: { kind: 'exec', taskId: 't', command: 'ls' } }]);
    assert.equal(eventsOfFrame('{"jsonrpc":"2.0","method":"agent.exec","params":{}}'), undefined);
    assert.equal(eventsOfFrame('not json'), undefined);
  });
});
