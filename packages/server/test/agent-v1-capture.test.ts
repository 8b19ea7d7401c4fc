import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addNode, eventually, feedOf, readCapture } from './helpers/agent-common.ts';
import { http, startWithAdmin, type TestServer } from './helpers/server.ts';
import { V1Agent } from './helpers/v1-agent.ts';

/** Replays what the official agent sent in `--protocol-version 1` mode (captures/official-agent-v1.jsonl). */
describe('the official agent in v1 mode, replayed from its capture', () => {
  let s: TestServer;
  let cookie: string;

  before(async () => ({ s, cookie } = await startWithAdmin()));
  after(() => s.dispose());

  it('basic info and every frame are accepted, the node is online with the last report and its info', async () => {
    const { uuid, token } = await addNode(s, cookie, 'official-v1');
    const capture = readCapture('official-agent-v1.jsonl');
    const info = capture.find((l) => l.kind === 'http' && l.url.startsWith('/api/clients/uploadBasicInfo'))!;
    const frames = capture.filter((l) => l.kind === 'ws-frame').map((l) => l.frame);
    const upgrade = capture.find((l) => l.kind === 'ws-upgrade')!;

    const res = await http(s.url, info.url.replace('TOKEN', token), { method: 'POST', body: info.body });
    assert.deepEqual([res.status, res.json], [200, { status: 'success' }]);
    assert.equal(upgrade.url, '/api/clients/report?token=TOKEN');
    const agent = await V1Agent.connect(s, token);
    for (const frame of frames) agent.send(frame);
    // No frame of the capture is answered: the first reply is the one to this unknown type.
    assert.deepEqual(await agent.ask({ type: 'sentinel' }), { error: 'Unknown message type', status: 'error' });

    const last = frames.filter((f) => f.type === undefined).at(-1);
    await eventually(async () => (await feedOf(s.url)).online.includes(uuid));
    const shown = (await feedOf(s.url)).data[uuid];
    assert.deepEqual(shown.cpu, { usage: 0.001 });
    assert.deepEqual([shown.ram, shown.network, shown.uptime, shown.connections], [last.ram, last.network, last.uptime, last.connections]);

    const node = (await http(s.url, `/api/admin/client/${uuid}`, { cookie })).json;
    for (const k of ['cpu_name', 'os', 'arch', 'kernel_version', 'mem_total', 'disk_total', 'virtualization', 'version', 'ipv4', 'ipv6']) {
      assert.equal(node[k], info.body[k], k);
    }
    await agent.close();
  });
});
