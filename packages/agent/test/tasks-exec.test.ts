import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combineOutput, runExec } from '../src/tasks/exec.ts';

describe('exec tasks', () => {
  it('gives stdout, then stderr after a newline, and the exit code', async () => {
    const out = await runExec('echo hi; echo err >&2; exit 3');
    assert.deepEqual(out, { result: 'hi\n\nerr\n', exitCode: 3 });
  });

  it('runs the command with sh -s: multi-line scripts, and stdin is the script itself', async () => {
    const out = await runExec('x=4\nif [ "$x" -eq 4 ]; then printf "four\\r\\n"; fi');
    assert.deepEqual(out, { result: 'four\n', exitCode: 0 });
  });

  it('converts CRLF to LF and leaves stderr out when empty', () => {
    assert.equal(combineOutput('a\r\nb\r\n', ''), 'a\nb\n');
    assert.equal(combineOutput('', 'oops\r\n'), '\noops\n');
  });

  it('an empty command is "No command provided" with exit 0', async () => {
    assert.deepEqual(await runExec(''), { result: 'No command provided', exitCode: 0 });
  });

  it('with web ssh disabled nothing runs: "Remote control is disabled." and -1', async () => {
    assert.deepEqual(await runExec('touch /tmp/should-not-exist', { disabled: true }), { result: 'Remote control is disabled.', exitCode: -1 });
  });

  it('caps the output and says so', async () => {
    const out = await runExec('head -c 5000 /dev/zero | tr "\\0" a', { maxOutputBytes: 1000 });
    assert.equal(out.exitCode, 0);
    assert.ok(out.result.startsWith('a'.repeat(1000) + '\n[komari-agent: output truncated, 4000 more bytes dropped]'), out.result.slice(990, 1100));
  });

  it('kills the command after the timeout with exit -1', async () => {
    const started = Date.now();
    const out = await runExec('echo started; sleep 30', { timeoutMs: 300 });
    assert.equal(out.exitCode, -1);
    assert.match(out.result, /^started\n[\s\S]*killed after 300 ms/);
    assert.ok(Date.now() - started < 5000);
  });

  it('a command the shell cannot find exits 127 with its error on stderr', async () => {
    const out = await runExec('definitely-not-a-command-xyz');
    assert.equal(out.exitCode, 127);
    assert.match(out.result, /not found/);
  });
});
