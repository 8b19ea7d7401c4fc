import assert from 'node:assert/strict';
import type { ExecFileException } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { boundedProbeMessage, probeErrorMessageMax } from '@komari-ts/protocol/probe-error';
import { addNode, eventually } from '../../server/test/helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from '../../server/test/helpers/server.ts';
import { loadAgentConfig } from '../src/config.ts';
import { handlersFor } from '../src/handlers.ts';
import { icmpFailure } from '../src/tasks/icmp.ts';
import { runPing } from '../src/tasks/ping.ts';
import { tempDir } from './helpers/files.ts';
import { MemoryLog, startAgent, type TestAgent } from './helpers/transport.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('icmp probes that cannot run say why (probe_error)', () => {
  const dir = tempDir('komari-ping-errors-');

  it('a ping program that does not exist (the pingBinary option) is no_ping_binary', async () => {
    const r = await runPing('icmp', '127.0.0.1', { pingBinary: join(dir, 'ping'), log: () => {} });
    assert.equal(r.value, -1);
    assert.equal(r.error?.code, 'no_ping_binary');
    assert.match(r.error?.message ?? '', /^no `.*\/ping` program on this host \(Debian: apt-get install iputils-ping\)$/);
  });

  it('a ping program the agent may not execute is permission_denied', async () => {
    const file = join(dir, 'not-executable');
    writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    const r = await runPing('icmp', '127.0.0.1', { pingBinary: file, log: () => {} });
    assert.deepEqual(r, { value: -1, error: { code: 'permission_denied', message: `\`${file}\` is not executable by the agent's user` } });
  });

  it('an unknown host is resolve_failed before ping runs at all', async () => {
    const r = await runPing('icmp', 'no-such-host.invalid', { pingBinary: join(dir, 'ping'), log: () => {} });
    assert.equal(r.error?.code, 'resolve_failed');
  });

  it('ping\'s own exits: 1 is a loss, a refused ICMP socket is permission_denied, other errors are `other` with one line', () => {
    const exit = (code: number, extra: Partial<ExecFileException> = {}) => Object.assign(new Error('Command failed'), { code, ...extra }) as ExecFileException;
    assert.equal(icmpFailure(exit(1), '', 'ping'), undefined, 'iputils: no reply');
    assert.equal(icmpFailure(exit(1, { killed: true, signal: 'SIGKILL' }), '', 'ping'), undefined, 'past the timeout');
    const iputils = icmpFailure(exit(2), 'ping: socket: Operation not permitted\n', 'ping');
    assert.deepEqual(iputils?.toWire(), { code: 'permission_denied', message: 'ping: socket: Operation not permitted' });
    const busybox = icmpFailure(exit(1), 'ping: permission denied (are you root?)\n', 'ping');
    assert.equal(busybox?.code, 'permission_denied');
    const unreachable = icmpFailure(exit(2), '\nping: connect: Network is unreachable\nmore\n', 'ping');
    assert.deepEqual(unreachable?.toWire(), { code: 'other', message: 'ping: connect: Network is unreachable' });
    assert.deepEqual(icmpFailure(exit(64), '', 'ping')?.toWire(), { code: 'other', message: '`ping` failed (64)' });
  });

  it('the detail is never raw stderr of any length: one line, control characters gone, cut to the bound', () => {
    const stderr = `ping: ${'\u001b[1m'.repeat(10)}${'y'.repeat(100_000)}\nsecond line`;
    const failure = icmpFailure(Object.assign(new Error('x'), { code: 2 }) as ExecFileException, stderr, 'ping');
    const message = failure?.toWire().message ?? '';
    assert.equal(Array.from(message).length, probeErrorMessageMax);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(message, /[\u0000-\u001f]|second line/);
    assert.equal(boundedProbeMessage('a\u0000b\u202ec  d'), 'a b c d');
    assert.equal(boundedProbeMessage(`${'é'.repeat(10)}😀😀`, 11), `${'é'.repeat(10)}…`);
  });
});

describe('our agent, its ping binary absent, reports no_ping_binary to a real server', () => {
  const dir = tempDir('komari-ping-absent-');
  let s: TestServer;
  let cookie: string;
  let node: { uuid: string; token: string };
  let agent: TestAgent;

  before(async () => {
    ({ s, cookie } = await startWithAdmin());
    node = await addNode(s, cookie, 'no-ping');
    const log = new MemoryLog();
    const config = loadAgentConfig(['-e', s.url, '-t', node.token], {});
    // the real transport and the real task handlers; only where `ping` is looked for differs
    agent = startAgent(s.url, node.token, [], { handlers: handlersFor(config, log, { pingBinary: join(dir, 'ping') }), log });
    await eventually(() => s.ctx.live.socketOf(node.uuid) !== undefined, 10_000);
  });
  after(async () => {
    await agent?.transport.stop();
    await s?.dispose();
  });

  it('an icmp task every second: the admin list and the node page show the reason; a tcp task beside it has none', async () => {
    const add = (body: Record<string, unknown>) => http(s.url, '/api/admin/ping/add', { method: 'POST', cookie, body: { interval: 1, clients: [node.uuid], ...body } });
    const icmp = (await add({ name: 'icmp', type: 'icmp', target: '127.0.0.1' })).json.data.task_id;
    const tcp = (await add({ name: 'tcp', type: 'tcp', target: `127.0.0.1:${new URL(s.url).port}` })).json.data.task_id;
    let listed: any[] = [];
    await eventually(async () => {
      listed = (await http(s.url, '/api/admin/ping/', { cookie })).json.data;
      return listed.some((t) => t.id === icmp && t.probe_errors) && s.ctx.ping.recent.get(tcp, node.uuid) !== undefined;
    }, 15_000);
    const [error] = listed.find((t) => t.id === icmp).probe_errors;
    assert.equal(error.client, node.uuid);
    assert.equal(error.code, 'no_ping_binary');
    assert.match(error.message, /^no `.*\/ping` program on this host/);
    assert.equal(listed.find((t) => t.id === tcp).probe_errors, undefined);
    assert.equal(s.ctx.ping.recent.get(icmp, node.uuid)?.latencyMs, undefined, 'the icmp probe never answered');
    assert.ok((s.ctx.ping.recent.get(icmp, node.uuid)?.lost ?? 0) >= 1, 'and it counts as lost');
    const page = await http(s.url, `/api/records/ping?uuid=${node.uuid}&hours=1`);
    const tasks = page.json.data.tasks as any[];
    assert.deepEqual(tasks.find((t) => t.id === icmp).probe_error, { code: 'no_ping_binary' });
    assert.equal(tasks.find((t) => t.id === tcp).probe_error, undefined);
  });
});
